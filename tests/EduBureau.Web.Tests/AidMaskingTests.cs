using EduBureau.Core.Aid;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Aid;
using MiniExcelLibs;

namespace EduBureau.Web.Tests;

/// <summary>
/// A 全国学籍号 is "G" + 身份证件号: on /Aid and in its export the roles that see masked ID numbers (科室, 乡镇, 督学) get it masked,
/// the bureau admin in full. One ineligible payment to such a pupil at 东镇小学.
/// </summary>
public class AidMaskingTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private static readonly string Id = IdNumber.Create("450101", new DateOnly(2018, 4, 2), 31);
    private static readonly string No = "G" + Id;

    [Fact]
    public async Task AidResults_NationalStudentNo_FullForAdminMaskedForKeshiEastAndDuxue()
    {
        await using (var ctx = Database.OpenSystem(app.Database, "test"))
        {
            await AidSample.SeedAidAsync(ctx, app.County);
            var s = new Student
            {
                StudentNo = No, Name = "林国", Gender = Gender.Male, BirthDate = new DateOnly(2018, 4, 2), IdNumber = Id, CountyId = app.County.County.Id,
            };
            s.Enrollments.Add(new Enrollment { Year = 2025, SchoolId = app.County.EastPrimary.Id, Grade = Grade.G2, CountyId = app.County.County.Id });
            ctx.Students.Add(s);
            await ctx.SaveChangesAsync();
            var program = ctx.Set<AidProgram>().Single(p => p.Name == AidSample.Program);
            ctx.Set<AidDisbursement>().Add(new AidDisbursement
            {
                Year = 2025, Term = 1, ProgramId = program.Id, StudentNo = No, Name = "林国", StudentId = s.Id, SchoolId = app.County.EastPrimary.Id,
                Amount = 500m, SourceFile = "掩码.csv", SourceRow = 2,
            });
            await ctx.SaveChangesAsync();
        }
        var masked = "G" + IdNumber.Mask(Id);

        var admin = await (await app.LoginAsync("admin")).GetStringAsync("/Aid");
        var others = new List<string>();
        foreach (var user in new[] { "keshi", "east", "duxue" })
        {
            var client = await app.LoginAsync(user);
            others.Add(await client.GetStringAsync("/Aid"));
            var bytes = await client.GetByteArrayAsync("/Aid?handler=Export");
            var nos = new MemoryStream(bytes).Query(useHeaderRow: true, sheetName: "明细").Cast<IDictionary<string, object>>()
                .Select(r => (string)r["学籍号"]).ToList();
            Assert.Contains(masked, nos);
            Assert.DoesNotContain(No, nos);
        }

        Assert.Contains(No, admin);
        Assert.Contains("林国", admin);
        Assert.All(others, html =>
        {
            Assert.Contains("林国", html);
            Assert.Contains(masked, html);
            Assert.DoesNotContain(No, html);
        });
    }
}
