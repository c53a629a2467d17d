using System.Text;
using EduBureau.Core.Common;
using EduBureau.Core.Imports;

namespace EduBureau.Core.Tests.Imports;

/// <summary>Small hand-made import files: the same header and rows as CSV or .xlsx.</summary>
internal static class ImportFiles
{
    public static readonly string[] StudentHeaders = [.. Template.For(ImportEntity.Students).Columns.Select(c => c.Header)];

    public static string Dir()
    {
        var d = Path.Combine(Path.GetTempPath(), "edu-import-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    public static string Write(string format, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows, string name = "学生")
    {
        var path = Path.Combine(Dir(), name + "." + format);
        if (format == "csv")
        {
            var sb = new StringBuilder();
            sb.AppendLine(string.Join(",", headers.Select(Quote)));
            foreach (var r in rows) sb.AppendLine(string.Join(",", r.Select(Quote)));
            File.WriteAllText(path, sb.ToString(), new UTF8Encoding(true));
        }
        else
        {
            using var w = XlsxWriter.Create(path);
            w.StartSheet(name);
            w.WriteRow(headers, bold: true);
            foreach (var r in rows) w.WriteRow(r);
        }
        return path;
    }

    private static string Quote(string? v) => v is null ? "" : v.Contains(',') || v.Contains('"') ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;

    /// <summary>A valid pupil row for the TinyCounty school 4500000001 (东镇小学), year 2025.</summary>
    public static string?[] Pupil(string no, string name = "赵小明", Grade grade = Grade.G3, string cls = "三(1)班", Gender gender = Gender.Male,
        string school = "4500000001", int seq = 11, string status = "在读", bool withId = true)
    {
        var birth = new DateOnly(2025 - grade.TypicalAge(), 3, 1);
        var id = withId ? IdNumber.Create("450102", birth, gender == Gender.Male ? seq | 1 : seq & ~1) : null;
        var row = new string?[StudentHeaders.Length];
        row[0] = no; row[1] = name; row[2] = gender.Zh(); row[3] = birth.ToString("yyyy-MM-dd"); row[4] = id; row[5] = "汉族";
        row[6] = school; row[7] = grade.Zh(); row[8] = cls; row[9] = "2023-09"; row[10] = "走读";
        for (var i = 11; i <= 16; i++) row[i] = "否";
        row[17] = "无"; row[18] = "否"; row[19] = "东镇"; row[20] = status;
        return row;
    }

    public static string?[] With(this string?[] row, string header, string? value)
    {
        var copy = (string?[])row.Clone();
        copy[Array.IndexOf(StudentHeaders, header)] = value;
        return copy;
    }
}
