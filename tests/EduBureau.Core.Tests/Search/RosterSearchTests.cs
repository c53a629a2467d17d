using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Infrastructure;
using EduBureau.Demo;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Search;

/// <summary>
/// The in-memory pupil search (#16) finds exactly the pupils the SQL search finds, in the same order (学籍号), for every
/// unit of a small demo county, on SQLite and PostgreSQL; it follows a change of the data; a roster over its limit is
/// not held, so the caller searches in SQL.
/// </summary>
public sealed class RosterSearchTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Find_EqualsTheSqlSearch_ForEveryUnitAndTerm_AndFollowsAChange(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await DemoGenerator.GenerateAsync(test.Options, new DemoSettings(Seed: 2026, Size: 0.03));
        var search = new RosterSearch(test.Options);
        int year;
        List<(int Id, string Path, string Role)> units;
        string[] terms;
        await using (var sys = Database.OpenSystem(test.Options, "test"))
        {
            year = await sys.Enrollments.MaxAsync(e => e.Year);
            units = [.. (await sys.OrgUnits.Select(u => new { u.Id, u.Path, u.Kind }).ToListAsync())
                .Select(u => (u.Id, u.Path, u.Kind == OrgUnitKind.School ? Roles.School : u.Kind == OrgUnitKind.Township ? Roles.Township : Roles.BureauAdmin))];
            var pupil = await sys.Enrollments.Where(e => e.Year == year && e.Student.IdNumber != null).Select(e => e.Student).OrderBy(s => s.Id).FirstAsync();
            // A surname, a given-name character, a whole name, an exact 学籍号, an ID number typed in lower case, no match.
            terms = ["张", "明", pupil.Name, pupil.StudentNo, pupil.IdNumber!.ToLowerInvariant(), "不存在的名字"];
        }
        foreach (var (id, path, role) in units.Where((_, i) => i % 3 == 0 || i < 3))
        {
            await using var scoped = Database.Open(test.Options, UserScope.ForUser("t", role, id, path));
            IReadOnlySet<int>? schools = scoped.Unrestricted ? null : (await scoped.Schools.Select(s => s.Id).ToListAsync()).ToHashSet();
            foreach (var term in terms)
            {
                var sql = await StudentQueries.Search(scoped, year, term).OrderBy(r => r.StudentNo).Select(r => r.Id).ToListAsync();
                var memory = await search.FindAsync(scoped, year, SearchText.Clean(term)!, schools);
                Assert.True(sql.SequenceEqual(memory!), $"{provider} {path} “{term}”: SQL {sql.Count}, memory {memory!.Count}");
            }
        }

        // A pupil renamed: the next search sees it (the data version moved on).
        long renamed;
        await using (var sys = Database.OpenSystem(test.Options, "test"))
        {
            var s = await sys.Students.Where(x => x.Enrollments.Any(e => e.Year == year)).OrderBy(x => x.Id).FirstAsync();
            s.Name = "甪里测试";
            await sys.SaveChangesAsync();
            renamed = s.Id;
        }
        await using (var sys = Database.OpenSystem(test.Options, "test"))
            Assert.Equal([renamed], await search.FindAsync(sys, year, "甪里", null));

        // Over the limit: not held.
        await using (var sys = Database.OpenSystem(test.Options, "test"))
            Assert.Null(await new RosterSearch(test.Options, maxRows: 10).FindAsync(sys, year, "张", null));
    }
}
