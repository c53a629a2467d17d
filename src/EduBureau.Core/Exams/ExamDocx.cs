using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using A = DocumentFormat.OpenXml.Drawing;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;
using PIC = DocumentFormat.OpenXml.Drawing.Pictures;

namespace EduBureau.Core.Exams;

/// <summary>
/// The county 质量分析 report as .docx: headline sentences with the real figures, tables (county by subject, townships,
/// 城乡, school ranking on 总分, value added) and charts (ScottPlot PNG; left out with a note when no CJK font).
/// </summary>
public static class ExamDocx
{
    /// <summary>Writes the report; returns warnings (e.g. charts left out for want of a CJK font).</summary>
    public static List<string> Write(ExamReport report, string path)
    {
        var warnings = new List<string>();
        var r = report.Result;
        var t = r.TotalIndex;
        using var doc = WordprocessingDocument.Create(path, WordprocessingDocumentType.Document);
        var main = doc.AddMainDocumentPart();
        main.Document = new Document(new Body());
        var body = main.Document.Body!;
        uint imageId = 1;

        body.Append(Para(report.Title, bold: true, size: 36, center: true));
        body.Append(Para($"考试日期 {report.Exam.Date:yyyy-MM-dd}；统计口径：只统计实考学生，缺考、免考、作弊单列；标准差为总体标准差（除以 n）。", size: 18));

        body.Append(Heading("一、总体情况"));
        foreach (var line in report.Headlines()) body.Append(Para(line));

        body.Append(Heading("二、全县各科一分三率"));
        body.Append(Table(["科目", "满分", "实考", "缺考", "平均分", "标准差", "及格率%", "优秀率%", "低分率%", "得分率%"],
            Enumerable.Range(0, t + 1).Select(j => r.County(j)).Select(c => new[]
            {
                c.Subject, c.FullMarks.ToString("0.#", CultureInfo.InvariantCulture), I(c.Sat), I(c.Absent), F(c.Mean), F(c.Sd),
                F(c.PassRate), F(c.ExcellentRate), F(c.LowRate), F(c.ScoreRate),
            })));
        AddChart(ExamCharts.Distribution(r, t), "图1 全县总分分布");

        body.Append(Heading("三、乡镇与城乡对比（总分）"));
        body.Append(Table(["乡镇", "实考", "平均分", "与全县差", "超均率%", "及格率%", "优秀率%", "低分率%", "名次"],
            r.Level(ExamLevel.Township).Where(x => x.SubjectIndex == t && x.Sat > 0).OrderBy(x => x.Rank).Select(x => new[]
            {
                x.Unit, I(x.Sat), F(x.Mean), F(x.DiffToCounty), F(x.AboveMeanRate), F(x.PassRate), F(x.ExcellentRate), F(x.LowRate), x.Rank?.ToString(CultureInfo.InvariantCulture) ?? "",
            })));
        // 城区/镇区/乡村 is another cut of the same pupils: its own table, unranked, as on the overview page (#15).
        body.Append(Para("城乡分类（城区、镇区、乡村学校，总分）", bold: true));
        body.Append(Table(["城乡", "实考", "平均分", "与全县差", "超均率%", "及格率%", "优秀率%", "低分率%"],
            r.Level(ExamLevel.UrbanRural).Where(x => x.SubjectIndex == t && x.Sat > 0).Select(x => new[]
            {
                x.Unit, I(x.Sat), F(x.Mean), F(x.DiffToCounty), F(x.AboveMeanRate), F(x.PassRate), F(x.ExcellentRate), F(x.LowRate),
            })));

        body.Append(Heading("四、学校排名（总分）"));
        var schools = r.Level(ExamLevel.School).Where(x => x.SubjectIndex == t && x.Mean is not null && !x.Special).OrderBy(x => x.Rank).ToList();
        body.Append(Table(["名次", "学校", "乡镇", "实考", "平均分", "与全县差", "及格率%", "优秀率%", "低分率%", "全科合格率%"],
            schools.Select(x => new[]
            {
                x.Rank?.ToString(CultureInfo.InvariantCulture) ?? "", x.Unit, x.Parent ?? "", I(x.Sat), F(x.Mean), F(x.DiffToCounty),
                F(x.PassRate), F(x.ExcellentRate), F(x.LowRate), F(x.AllPassRate),
            })));
        AddChart(ExamCharts.SchoolMeans(r, t), "图2 各校总分平均分");

        body.Append(Heading("五、增值评价（教学质量看幅度）"));
        if (report.Before is null || !report.ValueAdded.TryGetValue(ExamLevel.School, out var va))
            body.Append(Para("本报告未选择参照考试，未计算增值。"));
        else
        {
            body.Append(Para($"参照考试：{report.Before.Name}。简单视角：每名学生两次考试的 z 分之差，单位取平均并给出 95% 区间；回归视角：本次总分对参照成绩做全县回归，单位取平均残差并按人数向 0 收缩。"));
            var total = va.Where(v => v.SubjectIndex == t).OrderByDescending(v => v.Regression).ToList();
            body.Append(Table(["学校", "人数", "参照平均分", "z分差", "z分差95%区间", "回归增值(分)", "回归95%区间"],
                total.Select(v => new[]
                {
                    v.Unit, I(v.Matched), F(v.IntakeMean), v.Simple.ToString("0.00", CultureInfo.InvariantCulture),
                    v.SimpleLo is { } lo ? $"{lo:0.00}～{v.SimpleHi:0.00}" : "—", F(v.Regression), $"{F(v.RegressionLo)}～{F(v.RegressionHi)}",
                })));
            AddChart(ExamCharts.ValueAddedVsIntake(total, ExamAnalysis.TotalName), "图3 各校总分增值与入口成绩");
        }

        body.Append(Heading("六、临界生"));
        body.Append(Para($"{report.Critical.Describe(report.CriticalLine)}的学生共 {report.CriticalPupils.Count} 人，各校人数如下（名单见 Excel 报表“临界生”工作表）。"));
        body.Append(Table(["学校", "临界生人数"],
            report.CriticalPupils.GroupBy(c => c.School).OrderByDescending(g => g.Count()).Select(g => new[] { g.Key, I(g.Count()) })));

        body.Append(new SectionProperties(new PageSize { Width = 11906, Height = 16838 },
            new PageMargin { Top = 1134, Bottom = 1134, Left = 1134, Right = 1134, Header = 567, Footer = 567, Gutter = 0 }));
        main.Document.Save();
        return warnings;

        void AddChart(byte[]? png, string caption)
        {
            if (png is null)
            {
                if (!ExamCharts.Available && !warnings.Contains(ExamCharts.FontWarning)) warnings.Add(ExamCharts.FontWarning);
                if (!ExamCharts.Available) body.Append(Para($"（{caption}：未找到中文字体，图表已省略）", size: 18));
                return;
            }
            var part = main.AddImagePart(ImagePartType.Png);
            using (var ms = new MemoryStream(png)) part.FeedData(ms);
            var (w, h) = PngSize(png);
            const long widthEmu = 5_760_000; // 16 cm
            var heightEmu = widthEmu * h / Math.Max(1, w);
            body.Append(new Paragraph(new ParagraphProperties(new Justification { Val = JustificationValues.Center }),
                new Run(Image(main.GetIdOfPart(part), imageId++, widthEmu, heightEmu))));
            body.Append(Para(caption, size: 18, center: true));
        }
    }

    private static string F(double? v) => ExamReport.F1(v);
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static RunProperties Font(int size, bool bold)
    {
        var rp = new RunProperties(new RunFonts { Ascii = "Noto Sans CJK SC", HighAnsi = "Noto Sans CJK SC", EastAsia = "Noto Sans CJK SC" },
            new FontSize { Val = size.ToString(CultureInfo.InvariantCulture) });
        if (bold) rp.PrependChild(new Bold());
        return rp;
    }

    private static Paragraph Para(string text, bool bold = false, int size = 22, bool center = false)
    {
        var p = new Paragraph();
        if (center) p.Append(new ParagraphProperties(new Justification { Val = JustificationValues.Center }));
        p.Append(new Run(Font(size, bold), new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
        return p;
    }

    private static Paragraph Heading(string text) => Para(text, bold: true, size: 28);

    private static Table Table(string[] header, IEnumerable<string[]> rows)
    {
        var border = new TableBorders(
            new TopBorder { Val = BorderValues.Single, Size = 4 }, new BottomBorder { Val = BorderValues.Single, Size = 4 },
            new LeftBorder { Val = BorderValues.Single, Size = 4 }, new RightBorder { Val = BorderValues.Single, Size = 4 },
            new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 });
        var table = new Table(new TableProperties(border, new TableWidth { Type = TableWidthUnitValues.Pct, Width = "5000" }));
        table.Append(Row(header, true));
        foreach (var row in rows) table.Append(Row(row, false));
        return table;

        static TableRow Row(string[] cells, bool head)
        {
            var tr = new TableRow();
            if (head) tr.Append(new TableRowProperties(new TableHeader()));
            foreach (var c in cells)
                tr.Append(new TableCell(new Paragraph(new Run(Font(18, head), new Text(c) { Space = SpaceProcessingModeValues.Preserve }))));
            return tr;
        }
    }

    private static (long W, long H) PngSize(byte[] png) =>
        png.Length > 24 ? ((png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19], (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23]) : (1, 1);

    private static Drawing Image(string relId, uint id, long cx, long cy) =>
        new(new DW.Inline(
            new DW.Extent { Cx = cx, Cy = cy },
            new DW.EffectExtent { LeftEdge = 0, TopEdge = 0, RightEdge = 0, BottomEdge = 0 },
            new DW.DocProperties { Id = id, Name = $"图{id}" },
            new DW.NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoChangeAspect = true }),
            new A.Graphic(new A.GraphicData(
                new PIC.Picture(
                    new PIC.NonVisualPictureProperties(new PIC.NonVisualDrawingProperties { Id = id, Name = $"chart{id}.png" }, new PIC.NonVisualPictureDrawingProperties()),
                    new PIC.BlipFill(new A.Blip { Embed = relId }, new A.Stretch(new A.FillRectangle())),
                    new PIC.ShapeProperties(new A.Transform2D(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = cx, Cy = cy }),
                        new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })))
            { Uri = "http://schemas.openxmlformats.org/drawingml/2006/picture" }))
        { DistanceFromTop = 0, DistanceFromBottom = 0, DistanceFromLeft = 0, DistanceFromRight = 0 });
}
