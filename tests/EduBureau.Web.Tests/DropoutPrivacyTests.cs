using System.Net;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Dropout;
using EduBureau.Core.Tests.Dropout;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>
/// Issue 7 item 6 over HTTP: the 失学 child 周失 (R1, guardian 周父, phone 13800001111, 东镇) and the dropout 张辍 (D1).
/// Full 身份证件号: bureau admin and the school; guardian name, phone and attachments: admin, township, school;
/// 科室 and 督学 see masked values. Every GET of a case page writes one 查看 audit line.
/// </summary>
public class DropoutPrivacyTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private const string Phone = "13800001111";
    private const string MaskedPhone = "*******1111";

    [Fact]
    public async Task DropoutPages_EachRole_SeesPersonalDataOnlyWhereNeededAndEveryCaseViewAudited()
    {
        long d1Case;
        await using (var ctx = Database.OpenSystem(app.Database, "test"))
        {
            await DropoutHistory.SeedAsync(ctx, app.County);
            var d1 = await ctx.Students.Where(s => s.StudentNo == "D1").Select(s => s.Id).SingleAsync();
            d1Case = (await DropoutLedger.ConfirmAsync(ctx, DropoutHistory.Year, d1, TimeProvider.System)).Value;
        }
        var admin = await app.LoginAsync("admin");
        var keshi = await app.LoginAsync("keshi");
        var duxue = await app.LoginAsync("duxue");
        var east = await app.LoginAsync("east");
        var school = await app.LoginAsync("school");

        // The township opens the 失学 child's case from the list: the form carries the register line, not the ID number.
        var eastList = await east.GetStringAsync("/Dropout");
        var keshiList = await keshi.GetStringAsync("/Dropout");
        var adminList = await admin.GetStringAsync("/Dropout");
        long entryId;
        await using (var ctx = Database.OpenSystem(app.Database, "test"))
            entryId = await ctx.Set<RegisterEntry>().Where(e => e.IdNumber == DropoutHistory.R1).Select(e => e.Id).SingleAsync();
        var token = await WebAppFactory.AntiforgeryTokenAsync(east, "/Dropout");
        var open = await east.PostAsync("/Dropout?handler=OpenChild", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["entryId"] = entryId.ToString(), ["schoolId"] = app.County.EastPrimary.Id.ToString(), ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        long r1Case;
        await using (var ctx = Database.OpenSystem(app.Database, "test"))
        {
            r1Case = await ctx.Set<DropoutCase>().Where(c => c.IdNumber == DropoutHistory.R1).Select(c => c.Id).SingleAsync();
            await DropoutLedger.AddAttachmentAsync(ctx, r1Case, "责令送学通知书.pdf", "application/pdf", [1, 2, 3], TimeProvider.System);
        }
        var attachmentId = await AttachmentIdAsync(r1Case);

        var asAdmin = await admin.GetStringAsync($"/Dropout/Case/{r1Case}");
        var asEast = await east.GetStringAsync($"/Dropout/Case/{r1Case}");
        var asSchool = await school.GetStringAsync($"/Dropout/Case/{r1Case}");
        var asKeshi = await keshi.GetStringAsync($"/Dropout/Case/{r1Case}");
        var asDuxue = await duxue.GetStringAsync($"/Dropout/Case/{r1Case}");
        var d1AsKeshi = await keshi.GetStringAsync($"/Dropout/Case/{d1Case}");
        var fileByEast = await east.GetAsync($"/Dropout/Case/{r1Case}?handler=Attachment&attachmentId={attachmentId}");
        var fileByKeshi = await keshi.GetAsync($"/Dropout/Case/{r1Case}?handler=Attachment&attachmentId={attachmentId}");

        Assert.Contains("周失", eastList);
        Assert.DoesNotContain(DropoutHistory.R1, eastList);
        Assert.Contains(IdNumber.Mask(DropoutHistory.R1), eastList);
        Assert.Contains(Phone, eastList);
        Assert.DoesNotContain(DropoutHistory.R1, keshiList);
        Assert.DoesNotContain(Phone, keshiList);
        Assert.DoesNotContain("周父", keshiList);
        Assert.Contains(MaskedPhone, keshiList);
        Assert.Contains(DropoutHistory.R1, adminList);

        Assert.Contains(DropoutHistory.R1, asAdmin);
        Assert.Contains(Phone, asAdmin);
        Assert.Contains("周父", asAdmin);
        Assert.Contains(DropoutHistory.R1, asSchool);
        Assert.DoesNotContain(DropoutHistory.R1, asEast);
        Assert.Contains(Phone, asEast);
        Assert.Contains("周父", asEast);
        foreach (var page in new[] { asKeshi, asDuxue })
        {
            Assert.Contains("周失", page);
            Assert.DoesNotContain(DropoutHistory.R1, page);
            Assert.Contains(IdNumber.Mask(DropoutHistory.R1), page);
            Assert.DoesNotContain(Phone, page);
            Assert.Contains(MaskedPhone, page);
            Assert.DoesNotContain("周父", page);
            Assert.Contains("周*", page);
            Assert.Contains("责令送学通知书.pdf", page);
            Assert.DoesNotContain("handler=Attachment", page);
        }
        Assert.DoesNotContain(DropoutHistory.D1Id, d1AsKeshi);
        Assert.Equal(HttpStatusCode.OK, fileByEast.StatusCode);
        Assert.Equal([1, 2, 3], await fileByEast.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Forbidden, fileByKeshi.StatusCode);

        await using var check = Database.OpenSystem(app.Database, "test");
        var views = await check.AuditLog.Where(a => a.Action == "查看" && a.Entity == nameof(DropoutCase)).OrderBy(a => a.Id)
            .Select(a => new { a.UserName, a.EntityKey }).ToListAsync();
        Assert.Equal(
            [("admin", $"{r1Case}"), ("east", $"{r1Case}"), ("school", $"{r1Case}"), ("keshi", $"{r1Case}"), ("duxue", $"{r1Case}"), ("keshi", $"{d1Case}")],
            views.Select(v => (v.UserName, v.EntityKey)));
        Assert.Equal(1, await check.AuditLog.CountAsync(a => a.Action == "下载附件" && a.UserName == "east"));
        // The audit line names the case, never the child's personal data.
        Assert.False(await check.AuditLog.AnyAsync(a => a.Action == "查看" && a.Changes != null && a.Changes.Contains(DropoutHistory.R1)));
    }

    private async Task<long> AttachmentIdAsync(long caseId)
    {
        await using var ctx = Database.OpenSystem(app.Database, "test");
        return await ctx.Set<CaseAttachment>().Where(a => a.CaseId == caseId).Select(a => a.Id).SingleAsync();
    }
}
