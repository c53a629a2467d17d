using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using EduBureau.Core.Aid;
using EduBureau.Core.Common;
using EduBureau.Core.Imports;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Tests;

/// <summary>
/// #14 finding 4 / deliverable 4: the bomb shapes an outside probe used, uploaded through every upload page over real HTTP
/// (roster import, score upload, aid upload, admission workbook upload). Each is refused with a Chinese message naming the
/// file, nothing is written, and the process (server and test) grows by less than 500 MB while it happens.
/// </summary>
public sealed class FileBombTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private const long Gb = 1L << 30;
    private const string Ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    // Generated once per test run (each about a second of compression): a 1 GB part in a zip of a megabyte or two.
    private static readonly Lazy<byte[]> SharedStringsBomb = new(() => Workbook(
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>",
        shared: Repeat("<sst xmlns=\"" + Ns + "\">", "<si><t>炸弹炸弹炸弹炸弹炸弹炸弹炸弹炸弹炸弹炸弹炸弹炸弹</t></si>", "</sst>", Gb)));
    private static readonly Lazy<byte[]> SheetBomb = new(() => Workbook(null, sheet: Repeat(
        "<worksheet xmlns=\"" + Ns + "\"><sheetData>" + HeaderRow + "",
        "<row><c t=\"inlineStr\"><is><t>G450102201703011234</t></is></c></row>", "</sheetData></worksheet>", Gb)));

    /// <summary>
    /// Every column the roster, score and aid uploads require, so each reads past the header into the rows (an unknown
    /// column is only a warning).
    /// </summary>
    private static string HeaderRow => "<row r=\"1\">" + string.Concat(Template.For(ImportEntity.Students).Columns.Select(c => c.Header)
        .Concat(["学校标识码", "班级", "语文", "项目", "学期", "金额"]).Distinct()
        .Select(h => $"<c t=\"inlineStr\"><is><t>{h}</t></is></c>")) + "</row>";

    /// <summary>The shared-strings bomb with the zip header (local and central) claiming the part inflates to 1 KB.</summary>
    private static byte[] LyingHeader()
    {
        var bytes = (byte[])SharedStringsBomb.Value.Clone();
        var name = Encoding.ASCII.GetBytes("xl/sharedStrings.xml");
        for (var i = 0; i + 46 < bytes.Length; i++)
        {
            var sig = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            if (sig == 0x04034b50 && bytes.AsSpan(i + 30, name.Length).SequenceEqual(name))
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 22), 1024);
            else if (sig == 0x02014b50 && bytes.AsSpan(i + 46, name.Length).SequenceEqual(name))
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 24), 1024);
        }
        return bytes;
    }

    /// <summary>4.5 KB: cells at column ZZZZZ in 200 rows (finding 3, kept refused).</summary>
    private static byte[] ColumnZzzzz() => Workbook(string.Concat(Enumerable.Range(1, 200).Select(r =>
        $"<row r=\"{r}\"><c r=\"A{r}\" t=\"inlineStr\"><is><t>学籍号</t></is></c><c r=\"ZZZZZ{r}\" t=\"inlineStr\"><is><t>x</t></is></c></row>")));

    private static (byte[] Bytes, string Expected) Shape(string shape) => shape switch
    {
        "sharedStrings" => (SharedStringsBomb.Value, "共享字符串（sharedStrings.xml）的压缩比超过 100:1"),
        "sheet" => (SheetBomb.Value, "工作表“Sheet1”的压缩比超过 100:1"),
        // The zip reader stops at the size the header claims, so the part ends mid-element; inflated bytes are counted anyway.
        "lyingHeader" => (LyingHeader(), "已损坏"),
        _ => (ColumnZzzzz(), "ZZZZZ列超出了允许的最后一列 XFD"),
    };

    public static TheoryData<string, string> UploadsAndShapes
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var upload in new[] { "roster", "scores", "aid", "admission" })
                foreach (var shape in new[] { "sharedStrings", "sheet", "lyingHeader", "zzzzz" })
                    data.Add(upload, shape);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(UploadsAndShapes))]
    public async Task Upload_BombShape_RefusedNamingFileNothingWrittenWithin500Mb(string upload, string shape)
    {
        var (bytes, expected) = Shape(shape);
        var before = await DisbursementsAsync();
        string html = "";

        var mb = await PeakGrowthMbAsync(async () => html = await UploadAsync(upload, Content(bytes, Xlsx), $"{shape}.xlsx"));

        Assert.Contains($"文件“{shape}.xlsx”", html);
        Assert.Contains(expected, html);
        Assert.DoesNotContain("导入成功", html);
        Assert.DoesNotContain("/Admission/Run?id=", html);
        Assert.Equal(before, await DisbursementsAsync());
        Assert.True(mb < 500, $"memory grew {mb} MB");
    }

    /// <summary>Shape (e): one CSV line without a newline, 64 MB (far past the 1 M-character record cap; 1 GB would exceed the upload limit).</summary>
    [Theory]
    [InlineData("roster")]
    [InlineData("scores")]
    [InlineData("aid")]
    public async Task Upload_CsvLineWithoutNewlineOf64Mb_RefusedNamingFileWithin500Mb(string upload)
    {
        string html = "";

        var mb = await PeakGrowthMbAsync(async () => html = await UploadAsync(upload, new LongLineContent(64L << 20), "长行.csv"));

        Assert.Contains("文件“长行.csv”第1行超过 1048576 个字符", html);
        Assert.True(mb < 500, $"memory grew {mb} MB");
    }

    /// <summary>Posts a file to one of the upload pages (数据导入 as a school, the others as the bureau admin); the page shown after.</summary>
    private async Task<string> UploadAsync(string upload, HttpContent file, string fileName)
    {
        var client = await app.LoginAsync(upload == "roster" ? "school" : "admin");
        var exam = upload == "scores" ? await ExamPagesTests.ExamFor(app) : 0;
        return upload switch
        {
            "roster" => await RosterUploadAsync(client, file, fileName),
            "scores" => await PostFileAsync(client, $"/Exams/Upload?id={exam}", $"/Exams/Upload?id={exam}", "file", file, fileName),
            "aid" => await PostFileAsync(client, "/Aid?handler=Upload", "/Aid", "file", file, fileName),
            _ => await PostFileAsync(client, "/Admission", "/Admission", "Upload", file, fileName),
        };
    }

    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private async Task<int> DisbursementsAsync()
    {
        await using var db = Core.Data.Database.OpenSystem(app.Database, "test");
        return await db.Set<AidDisbursement>().CountAsync();
    }

    private static ByteArrayContent Content(byte[] bytes, string type)
    {
        var c = new ByteArrayContent(bytes);
        c.Headers.ContentType = new MediaTypeHeaderValue(type);
        return c;
    }

    internal static async Task<string> PostFileAsync(HttpClient client, string url, string tokenPage, string field, HttpContent file, string fileName)
    {
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, tokenPage);
        using var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" }, { file, field, fileName } };
        var response = await client.PostAsync(url, form);
        return System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    internal static async Task<string> RosterUploadAsync(HttpClient client, HttpContent file, string fileName, string entity = "students")
    {
        var token = await WebAppFactory.AntiforgeryTokenAsync(client, "/Imports");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" }, { new StringContent(entity), "Entity" },
            { new StringContent("2025"), "ImportYear" }, { new StringContent("upsert"), "Mode" }, { file, "Upload", fileName },
        };
        var post = await client.PostAsync("/Imports", form);
        var result = post.Headers.Location?.ToString() ?? throw new InvalidOperationException(await post.Content.ReadAsStringAsync());
        for (var i = 0; i < 300; i++)
        {
            var html = await client.GetStringAsync(result);
            if (!html.Contains("http-equiv=\"refresh\"")) return System.Net.WebUtility.HtmlDecode(html);
            await Task.Delay(100);
        }
        throw new TimeoutException("导入未在 30 秒内完成");
    }

    /// <summary>Growth of the process's working set, sampled every 10 ms while <paramref name="action"/> runs, in MB.</summary>
    private static async Task<long> PeakGrowthMbAsync(Func<Task> action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long Now() { using var p = Process.GetCurrentProcess(); return p.WorkingSet64; }
        var baseline = Now();
        var peak = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, Now());
                try { await Task.Delay(10, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        try { await action(); }
        finally
        {
            await stop.CancelAsync();
            await sampler;
        }
        return (Math.Max(peak, Now()) - baseline) / (1024 * 1024);
    }

    /// <summary>A part written as head + body repeated to about <paramref name="size"/> bytes + tail.</summary>
    private static Action<Stream> Repeat(string head, string body, string tail, long size) => s =>
    {
        var chunk = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(body, Math.Max(1, 65536 / Encoding.UTF8.GetByteCount(body)))));
        s.Write(Encoding.UTF8.GetBytes(head));
        for (long n = 0; n < size; n += chunk.Length) s.Write(chunk);
        s.Write(Encoding.UTF8.GetBytes(tail));
    };

    /// <summary>A minimal workbook of one sheet "Sheet1": its rows as XML, or the whole sheet part; optionally sharedStrings.xml.</summary>
    internal static byte[] Workbook(string? rows, Action<Stream>? sheet = null, Action<Stream>? shared = null)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Part(string path, Action<Stream> write)
            {
                using var s = zip.CreateEntry(path, CompressionLevel.SmallestSize).Open();
                write(s);
            }
            void Text(string path, string text) => Part(path, s => s.Write(Encoding.UTF8.GetBytes(text)));
            const string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
            Text("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
                + "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>");
            Text("_rels/.rels", $"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + $"<Relationship Id=\"rId1\" Type=\"{rel}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
            Text("xl/workbook.xml", $"<?xml version=\"1.0\"?><workbook xmlns=\"{Ns}\" xmlns:r=\"{rel}\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
            Text("xl/_rels/workbook.xml.rels", $"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + $"<Relationship Id=\"rId1\" Type=\"{rel}/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                + (shared is null ? "" : $"<Relationship Id=\"rId2\" Type=\"{rel}/sharedStrings\" Target=\"sharedStrings.xml\"/>") + "</Relationships>");
            Part("xl/worksheets/sheet1.xml", sheet ?? (s => s.Write(Encoding.UTF8.GetBytes($"<?xml version=\"1.0\"?><worksheet xmlns=\"{Ns}\"><sheetData>{rows}</sheetData></worksheet>"))));
            if (shared is not null) Part("xl/sharedStrings.xml", shared);
        }
        return ms.ToArray();
    }

    /// <summary>A CSV of one header line that never ends, generated as it is sent (the test holds none of it).</summary>
    private sealed class LongLineContent : HttpContent
    {
        private readonly long _size;
        public LongLineContent(long size)
        {
            _size = size;
            Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var chunk = Encoding.ASCII.GetBytes(new string('A', 65536));
            for (long n = 0; n < _size; n += chunk.Length) await stream.WriteAsync(chunk);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = (_size + 65535) / 65536 * 65536;
            return true;
        }
    }
}
