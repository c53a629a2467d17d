using EduBureau.Core.Common;
using EduBureau.Core.Exams;
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
}
