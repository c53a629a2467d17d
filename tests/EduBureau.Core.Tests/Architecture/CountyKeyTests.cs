using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Architecture;

/// <summary>
/// Province and national scale (#16 item 6, docs/scaling.md): every fact table carries the county key, so the schema can
/// be distributed by county (Citus) with co-located joins. A fact table is one whose rows belong to a school or a
/// pupil (ISchoolScoped, IStudentScoped) or to a person, school or township directly. Tables that do not have the key
/// yet are listed here by name: the list may only shrink, and a new module's fact table must carry the key.
/// </summary>
public sealed class CountyKeyTests
{

    private static readonly HashSet<string> DirectFacts = ["Student", "StaffMember", "School", "PopulationCount"];

    [Fact]
    public async Task EveryFactTable_CarriesTheCountyKey_ExceptTheKnownGaps()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        await using var db = Database.OpenSystem(test.Options, "test");
        var facts = db.Model.GetEntityTypes()
            .Where(t => !t.IsOwned() && t.BaseType is null)
            .Where(t => typeof(ISchoolScoped).IsAssignableFrom(t.ClrType) || typeof(IStudentScoped).IsAssignableFrom(t.ClrType)
                        || DirectFacts.Contains(t.ClrType.Name))
            .ToList();
        Assert.NotEmpty(facts);
        var missing = facts.Where(t => t.FindProperty("CountyId") is null).Select(t => t.ClrType.Name).Order().ToList();
        Assert.True(missing.Count == 0, "fact tables without CountyId: " + string.Join(", ", missing));
        // A school's rows get the key from the school on every save (CountyKeys): they must say they have one.
        var unmarked = facts.Where(t => typeof(ISchoolScoped).IsAssignableFrom(t.ClrType) && !typeof(ICountyKeyed).IsAssignableFrom(t.ClrType))
            .Select(t => t.ClrType.Name).ToList();
        Assert.True(unmarked.Count == 0, "school rows not marked ICountyKeyed: " + string.Join(", ", unmarked));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Save_TakesTheCountyFromTheSchool_WhateverTheCallerSet(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        TinyCounty c;
        await using (var db = test.Open()) c = await TinyCounty.SeedAsync(db);
        int classId;
        await using (var db = test.Open())
        {
            // Not set at all, and set wrong: both end as the school's county.
            var a = new ClassRoom { SchoolId = c.EastPrimary.Id, Year = TinyCounty.Year, Grade = Grade.G2, Name = "二(1)班" };
            var b = new ClassRoom { SchoolId = c.WestPrimary.Id, Year = TinyCounty.Year, Grade = Grade.G2, Name = "二(1)班", CountyId = 999 };
            db.Classes.AddRange(a, b);
            await db.SaveChangesAsync();
            classId = a.Id;
            Assert.Equal((c.County.Id, c.County.Id), (a.CountyId, b.CountyId));
        }
        await using (var db = test.Open())
        {
            var a = await db.Classes.SingleAsync(x => x.Id == classId);
            a.CountyId = 5;
            await db.SaveChangesAsync();
            Assert.Equal(c.County.Id, a.CountyId);
            Assert.Empty(await CountyKeys.MismatchesAsync(db));
            // A raw write that forgets the key is found (the test suite runs this check after every test's database).
            await db.Database.ExecuteSqlAsync($"UPDATE \"Classes\" SET \"CountyId\" = 0 WHERE \"Id\" = {classId}");
            Assert.Equal(new Dictionary<string, int> { ["ClassRoom"] = 1 }, await CountyKeys.MismatchesAsync(db));
            await db.Database.ExecuteSqlAsync($"UPDATE \"Classes\" SET \"CountyId\" = {c.County.Id} WHERE \"Id\" = {classId}");
        }
    }
}
