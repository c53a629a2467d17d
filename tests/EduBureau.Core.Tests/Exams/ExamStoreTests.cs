using EduBureau.Core.Common;
using EduBureau.Core.Exams;
using EduBureau.Core.Imports;
using EduBureau.Core.Students;
using EduBureau.Core.Security;
using EduBureau.Core.Staff;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Exams;

public class ExamStoreTests
{
    private static StaffMember Teacher(string no, string name, string subject, int schoolId, int countyId, int year = TinyCounty.Year,
        StaffPost post = StaffPost.FullTimeTeacher)
    {
        var m = new StaffMember { StaffNo = no, Name = name, Subject = subject, Post = post, CountyId = countyId, BirthDate = new DateOnly(1985, 1, 1) };
        m.Assignments.Add(new StaffAssignment { Year = year, SchoolId = schoolId, CountyId = countyId });
        return m;
    }

    [Fact]
    public async Task LoadAsync_SoleSubjectTeacherOfASchool_TeachesAllItsClasses()
    {
        await using var tdb = await TestDatabase.CreateAsync();
        var examId = await ExamScenario.SeedAsync(tdb);
        await using (var db = tdb.Open(UserScope.System()))
        {
            var east = await db.Schools.SingleAsync(s => s.Name == "东镇中学");
            var west = await db.Schools.SingleAsync(s => s.Name == "西乡小学");
            var county = east.CountyId;
            db.Set<StaffMember>().AddRange(
                Teacher("T01", "王老师", "语文", east.Id, county),          // sole 语文 teacher of 东镇中学 → 1班 and 2班
                Teacher("T02", "陈老师", "数学", east.Id, county),          // two 数学 teachers: unknown who teaches which class
                Teacher("T03", "刘老师", "数学", east.Id, county),
                Teacher("T04", "赵老师", "语文", west.Id, county, year: TinyCounty.Year - 1), // another year: not used
                Teacher("T05", "孙主任", "数学", west.Id, county, post: StaffPost.Administrative)); // not a 专任教师
            await db.SaveChangesAsync();
        }
        await using var read = tdb.Open(UserScope.System());

        var (_, data) = await ExamStore.LoadAsync(read, examId);
        var r = ExamAnalysis.Analyze(data);

        // 王老师: J1 90, J2 60 (1班) and J3 30 (2班) → sat 3, mean 60; nobody else is known.
        var wang = Assert.Single(r.Level(ExamLevel.Teacher));
        Assert.Equal("王老师（T01）", wang.Unit);
        Assert.Equal("语文", wang.Subject);
        Assert.Equal(3, wang.Sat);
        Assert.Equal(60, wang.Mean!.Value, 9);
    }

    [Fact]
    public async Task LoadAsync_TeachingList_DecidesClassBySubjectAndOverridesTheSoleTeacher()
    {
        // 东镇中学 九年级: 王老师 is the school's only 语文 teacher, 陈老师 and 刘老师 both teach 数学. The 任课教师 list
        // (imported) says 陈老师 数学 1班, 刘老师 数学 2班 and 刘老师 语文 2班, so 王老师 keeps 语文 in 1班 only.
        await using var tdb = await TestDatabase.CreateAsync();
        var examId = await ExamScenario.SeedAsync(tdb);
        await using (var db = tdb.Open(UserScope.System()))
        {
            var east = await db.Schools.SingleAsync(s => s.Name == "东镇中学");
            db.Set<StaffMember>().AddRange(
                Teacher("T01", "王老师", "语文", east.Id, east.CountyId),
                Teacher("T02", "陈老师", "数学", east.Id, east.CountyId),
                Teacher("T03", "刘老师", "数学", east.Id, east.CountyId));
            db.Classes.AddRange(
                new ClassRoom { SchoolId = east.Id, Year = TinyCounty.Year, Grade = Grade.G9, Name = "1班" },
                new ClassRoom { SchoolId = east.Id, Year = TinyCounty.Year, Grade = Grade.G9, Name = "2班" });
            await db.SaveChangesAsync();
            var list = Path.Combine(Path.GetTempPath(), $"任课教师-{Guid.NewGuid():N}.csv");
            await File.WriteAllTextAsync(list, "学校标识码,年级,班级,学科,教职工号\n4500000002,九年级,1班,数学,T02\n4500000002,九年级,2班,数学,T03\n4500000002,九年级,2班,语文,T03\n");
            var imported = await Importer.RunAsync(db, list, new ImportOptions(ImportEntity.Teaching, TinyCounty.Year));
            Assert.True(imported.Success, string.Join("\n", imported.Issues.First));
        }
        await using var read = tdb.Open(UserScope.System());

        var (_, data) = await ExamStore.LoadAsync(read, examId);
        var r = ExamAnalysis.Analyze(data);

        // Scores (ExamScenario): 1班 J1 语文 90 数学 80, J2 语文 60 数学 缺考; 2班 J3 语文 30 数学 50.
        var teachers = r.Level(ExamLevel.Teacher).Select(x => (x.Unit, x.Subject, x.Sat, x.Mean)).OrderBy(x => x.Unit, StringComparer.Ordinal).ThenBy(x => x.Subject, StringComparer.Ordinal).ToList();
        Assert.Equal(
            [("刘老师（T03）", "数学", 1, (double?)50), ("刘老师（T03）", "语文", 1, 30), ("王老师（T01）", "语文", 2, 75), ("陈老师（T02）", "数学", 1, 80)],
            teachers);
    }
}
