using System.Net;
using System.Text;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Imports;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>
/// #14 finding 1: the 学生 roster export must not hand a masked role full 身份证件号, neither in the 身份证件号 column nor
/// inside a 全国学籍号 ("G" + 身份证件号); every download of personal data leaves one audit line.
/// </summary>
public class ExportMaskingTests(WebAppFactory app) : IClassFixture<WebAppFactory>, IAsyncLifetime
{
    private static readonly string Id = IdNumber.Create("450102", new DateOnly(2018, 3, 1), 77);

    public async Task InitializeAsync()
    {
        await using var db = Database.OpenSystem(app.Database, "test");
        if (await db.Students.AnyAsync(s => s.StudentNo == "G" + Id)) return;
        var s = TinyCounty.AddPupil(db, "G" + Id, "全国号", app.County.EastPrimary, Grade.G2, app.County.County.Id);
        s.BirthDate = new DateOnly(2018, 3, 1);
        s.IdNumber = Id;
        await db.SaveChangesAsync();
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    private async Task<(string Cells, int Audits)> ExportAsync(string user, string entity = "students")
    {
        var client = await app.LoginAsync(user);
        var before = await AuditCountAsync(user);
        var response = await client.GetAsync($"/Imports?handler=Export&entity={entity}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.GetTempFileName() + ".xlsx";
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        var sb = new StringBuilder();
        using (var s = RowSource.Open(path))
            while (s.Read()) sb.AppendLine(string.Join(",", Enumerable.Range(0, s.Headers.Count).Select(s.Get)));
        File.Delete(path);
        return (sb.ToString(), await AuditCountAsync(user) - before);
    }

    private async Task<int> AuditCountAsync(string user)
    {
        await using var db = Database.OpenSystem(app.Database, "test");
        return await db.AuditLog.CountAsync(a => a.UserName == user && a.Action == "导出");
    }

    [Theory]
    [InlineData("keshi")]
    [InlineData("duxue")]
    [InlineData("east")]
    public async Task StudentExport_MaskedRole_NoFullIdNumberInAnyCell(string user)
    {
        var (cells, audits) = await ExportAsync(user);

        Assert.Contains("全国号", cells);
        Assert.DoesNotContain(Id, cells); // covers "G" + Id as well
        Assert.Contains(IdNumber.Mask(Id), cells);
        Assert.Equal(1, audits);
    }

    [Fact]
    public async Task StudentExport_BureauAdmin_FullValuesAndAudited()
    {
        var (cells, audits) = await ExportAsync("admin");

        Assert.Contains("G" + Id + ",全国号", cells);
        Assert.Contains("," + Id + ",", cells);
        Assert.Equal(1, audits);
    }

    [Fact]
    public async Task StaffExport_AnyRole_Audited()
    {
        var (_, audits) = await ExportAsync("keshi", "staff");

        Assert.Equal(1, audits);
    }

    [Fact]
    public async Task StudentExport_Download_AuditNamesWhoWhatScopeAndRows()
    {
        await ExportAsync("keshi");

        await using var db = Database.OpenSystem(app.Database, "test");
        var last = await db.AuditLog.Where(a => a.UserName == "keshi" && a.Action == "导出").OrderByDescending(a => a.Id).FirstAsync();
        Assert.Equal("学生", last.Entity);
        Assert.Equal(app.County.County.Id, last.OrgUnitId);
        Assert.Contains("\"rows\":", last.Changes);
    }

    [Fact]
    public async Task OtherPersonalExports_Download_OneAuditEach()
    {
        var client = await app.LoginAsync("duxue");
        string[] urls =
        [
            "/Aid?handler=Export",
            "/Students?handler=Export",
            "/Staff?handler=Export",
            $"/Schools/Detail/{app.County.EastPrimary.Id}?tab=students&handler=Export",
            $"/Schools/Detail/{app.County.EastPrimary.Id}?tab=staff&handler=Export",
            $"/Exams/Download?id={await ExamPagesTests.ExamFor(app)}&kind=xlsx",
            $"/Indicators/Members?code=student_teacher_ratio_primary&school={app.County.EastPrimary.Id}&side=numerator&handler=Export",
        ];

        foreach (var url in urls)
        {
            var before = await AuditCountAsync("duxue");
            var response = await client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode}");
            Assert.True(before + 1 == await AuditCountAsync("duxue"), $"{url}: no audit line");
        }
    }
}
