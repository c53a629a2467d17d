using EduBureau.Core.Common;
using EduBureau.Core.Imports;
using EduBureau.Core.Security;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Imports;

/// <summary>#14: the roster export masks 身份证件号 and a 全国学籍号 (G + 身份证件号) by the context's scope, and audits itself.</summary>
public class ExportAuditTests
{
    private static readonly string Id = IdNumber.Create("450102", new DateOnly(2018, 3, 1), 77);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task WriteAsync_DepartmentScope_MasksStudentNoAndWritesOneAuditLine(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        TinyCounty county;
        await using (var ctx = db.Open())
        {
            county = await TinyCounty.SeedAsync(ctx);
            var s = TinyCounty.AddPupil(ctx, "G" + Id, "全国号", county.EastPrimary, Grade.G2, county.County.Id);
            s.BirthDate = new DateOnly(2018, 3, 1);
            s.IdNumber = Id;
            await ctx.SaveChangesAsync();
        }
        var keshi = UserScope.ForUser("keshi", Roles.Department, county.County.Id, county.County.Path);
        var path = Path.GetTempFileName() + ".xlsx";

        int rows;
        await using (var ctx = db.Open(keshi))
        await using (var f = File.Create(path))
            rows = await ExportRoster.WriteAsync(ctx, ImportEntity.Students, TinyCounty.Year, f);

        using (var r = RowSource.Open(path))
            while (r.Read())
                Assert.All(Enumerable.Range(0, r.Headers.Count).Select(r.Get), cell => Assert.DoesNotContain(Id, cell ?? ""));
        File.Delete(path);
        await using var check = db.Open();
        var audit = await check.AuditLog.SingleAsync(a => a.Action == "导出");
        Assert.Equal(("keshi", "学生", county.County.Id), (audit.UserName, audit.Entity, audit.OrgUnitId));
        Assert.Contains($"\"rows\":{rows}", audit.Changes);
        Assert.Contains("\"masked\":true", audit.Changes);
    }
}
