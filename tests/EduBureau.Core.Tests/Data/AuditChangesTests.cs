using System.Globalization;
using System.Text.Json;
using EduBureau.Core.Common;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Data;

/// <summary>The audit lines of added rows (#15): written with the keys the save generated, not EF's temporary values.</summary>
public class AuditChangesTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SaveChanges_PupilAndEnrollmentAddedTogether_AuditsTheirRealKeys(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        TinyCounty county;
        await using (var ctx = db.Open())
            county = await TinyCounty.SeedAsync(ctx);
        long studentId;
        await using (var ctx = db.Open())
        {
            var pupil = TinyCounty.AddPupil(ctx, "AUDIT-1", "新生", county.EastPrimary, Grade.G1, county.County.Id);
            await ctx.SaveChangesAsync();
            studentId = pupil.Id;
        }

        await using var check = db.Open();
        var enrollmentId = await check.Enrollments.Where(e => e.StudentId == studentId).Select(e => e.Id).SingleAsync();
        var student = await check.AuditLog.SingleAsync(a => a.Entity == "Student" && a.EntityKey == studentId.ToString(CultureInfo.InvariantCulture));
        var enrollment = await check.AuditLog.SingleAsync(a => a.Entity == "Enrollment" && a.EntityKey == enrollmentId.ToString(CultureInfo.InvariantCulture));
        using var studentJson = JsonDocument.Parse(student.Changes!);
        using var enrollmentJson = JsonDocument.Parse(enrollment.Changes!);
        Assert.Equal(studentId, studentJson.RootElement.GetProperty("Id")[1].GetInt64());
        Assert.Equal(enrollmentId, enrollmentJson.RootElement.GetProperty("Id")[1].GetInt64());
        Assert.Equal(studentId, enrollmentJson.RootElement.GetProperty("StudentId")[1].GetInt64());
        Assert.Equal("在读", enrollmentJson.RootElement.GetProperty("Status")[1].GetString());
    }
}
