using EduBureau.Demo.Admission;
using EduBureau.Core.Admission;
using MiniExcelLibs;

namespace EduBureau.Core.Tests.Admission;

public class AdmissionWorkbookTests
{
    private static MemoryStream Workbook(Dictionary<string, object> sheets)
    {
        var ms = new MemoryStream();
        ms.SaveAs(sheets);
        ms.Position = 0;
        return ms;
    }

    private static Dictionary<string, object?> R(params (string, object?)[] cells) => cells.ToDictionary(c => c.Item1, c => c.Item2);

    [Fact]
    public void Read_WrittenSample_RoundTrips()
    {
        var input = SyntheticCohort.Generate(300, schools: 6, preferences: 4, seed: 5);
        var ms = new MemoryStream();
        AdmissionWorkbook.WriteInput(input, ms);
        ms.Position = 0;

        var back = AdmissionWorkbook.Read(ms, "sample.xlsx");

        Assert.Equal(input.Plans.Select(p => (p.Code, p.Places)), back.Plans.Select(p => (p.Code, p.Places)));
        Assert.Equal(input.Applicants.Select(a => (a.ExamNo, a.Total, string.Join(",", a.Preferences), a.ZhibiaoPreference)),
            back.Applicants.Select(a => (a.ExamNo, a.Total, string.Join(",", a.Preferences), a.ZhibiaoPreference)));
        Assert.Equal(input.JuniorSchools!.Select(j => (j.Code, j.Township, j.Graduates)), back.JuniorSchools!.Select(j => (j.Code, j.Township, j.Graduates)));
        var config = new AdmissionConfig();
        Assert.Equal(AdmissionEngine.Run(input, config).ToJsonString(), AdmissionEngine.Run(back, config).ToJsonString());
    }

    [Fact]
    public void Read_BadCells_NamesSheetRowAndColumn()
    {
        var ms = Workbook(new Dictionary<string, object>
        {
            ["高中计划"] = new[] { R(("学校标识码", "H1"), ("学校名称", "一高"), ("统招计划", "十")) },
            ["考生"] = new[]
            {
                R(("考号", 2400000001), ("姓名", "甲"), ("毕业学校标识码", "J1"), ("总分", "abc"), ("志愿1", "H1"), ("志愿2", null)),
                R(("考号", 2400000002), ("姓名", null), ("毕业学校标识码", "J1"), ("总分", 600), ("志愿1", null), ("志愿2", "H1")),
            },
        });

        var e = Assert.Throws<AdmissionInputException>(() => AdmissionWorkbook.Read(ms, "in.xlsx"));

        Assert.Contains("in.xlsx 工作表“高中计划” 第2行 C列（统招计划）：“十”不是数字", e.Errors);
        Assert.Contains("in.xlsx 工作表“考生” 第2行 D列（总分）：“abc”不是数字", e.Errors);
        Assert.Contains("in.xlsx 工作表“考生” 第3行 B列（姓名）：不能为空", e.Errors);
        Assert.Contains(e.Errors, m => m.StartsWith("in.xlsx 工作表“考生” 第3行 F列（志愿2）：前面的志愿为空"));
    }

    [Fact]
    public void Read_MissingColumn_NamesIt()
    {
        var ms = Workbook(new Dictionary<string, object>
        {
            ["高中计划"] = new[] { R(("学校标识码", "H1"), ("学校名称", "一高")) },
            ["考生"] = new[] { R(("考号", "1"), ("姓名", "甲"), ("毕业学校标识码", "J1"), ("总分", 1), ("志愿1", "H1")) },
        });

        var e = Assert.Throws<AdmissionInputException>(() => AdmissionWorkbook.Read(ms, "in.xlsx"));

        Assert.Equal(["in.xlsx 工作表“高中计划”：缺少必填列“统招计划”"], e.Errors);
    }

    [Fact]
    public void Read_ExamNoTypedAsNumber_ReadsDigits()
    {
        var ms = Workbook(new Dictionary<string, object>
        {
            ["高中计划"] = new[] { R(("学校标识码", 5101000001), ("学校名称", "一高"), ("统招计划", 3)) },
            ["考生"] = new[] { R(("考号", 2400000001), ("姓名", "甲"), ("毕业学校标识码", "J1"), ("总分", 598.5), ("志愿1", 5101000001)) },
        });

        var input = AdmissionWorkbook.Read(ms, "in.xlsx");

        Assert.Equal("2400000001", input.Applicants[0].ExamNo);
        Assert.Equal(598.5m, input.Applicants[0].Total);
        Assert.Equal(["5101000001"], input.Applicants[0].Preferences);
        Assert.Equal(2, input.Applicants[0].Row);
        Assert.Equal(2, input.Plans[0].Row);
    }
}
