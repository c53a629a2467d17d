using EduBureau.Core.Common;
using EduBureau.Core.Staff;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Common;

/// <summary>#14 finding 17: a NUL in the free-text search failed with 500 on PostgreSQL (it refuses NUL in text).</summary>
public sealed class SearchTextTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData(" \0 ", null)]
    [InlineData("王\0四", "王四")]
    [InlineData(" G1\t", "G1")]
    public void Clean_ControlCharactersAndBlanks_Dropped(string? q, string? expected)
    {
        Assert.Equal(expected, SearchText.Clean(q));
    }

    [Fact]
    public void Clean_LongTerm_CutToMaxLength()
    {
        Assert.Equal(SearchText.MaxLength, SearchText.Clean(new string('张', 1000))!.Length);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Search_TermWithNul_FindsThePupilOnBothProviders(string provider)
    {
        await using var tdb = await TestDatabase.CreateAsync(provider);
        await using var db = tdb.Open();
        await TinyCounty.SeedAsync(db);

        Assert.Equal(["王四"], await StudentQueries.Search(db, TinyCounty.Year, "王\0四").Select(r => r.Name).ToListAsync());
        Assert.Empty(await StaffQueries.Search(db, TinyCounty.Year, "\0无").ToListAsync());
    }
}
