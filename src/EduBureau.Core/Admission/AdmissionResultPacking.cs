using System.IO.Compression;

namespace EduBureau.Core.Admission;

/// <summary>
/// A result as stored with a run: the engine's outcome arrays (admitted school and batch, the reason code behind every
/// preference and the 指标生 one, cut-offs, counts) plus the rank order and the quota table it ran with, gzip'd. A stored
/// run reopens by <see cref="Unpack"/> against its stored input: nothing is re-run, so a published result cannot drift
/// when the engine changes; the Chinese explanation texts are rendered from the stored codes.
/// </summary>
public sealed partial class AdmissionResult
{
    private const int PackVersion = 1;

    public byte[] Pack()
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        using (var w = new BinaryWriter(gz))
        {
            w.Write(PackVersion);
            w.Write(Prepared.N);
            w.Write(Prepared.S);
            w.Write(Prepared.P);
            w.Write(Prepared.Batches.Count);
            foreach (var a in new[] { School, Cutoff10, Count, Offered, ZhibiaoLine10, Unfilled, Prepared.Order, Prepared.Quota }) Write(w, a);
            foreach (var a in new[] { Batch, Reasons, ZReason }) Write(w, a);
            w.Write(MovedFrom is not null);
            if (MovedFrom is not null)
            {
                Write(w, MovedFrom);
                Write(w, MovedFromBatch!);
            }
        }
        return ms.ToArray();
    }

    /// <summary>
    /// The stored result of <paramref name="input"/> under <paramref name="config"/>. Throws <see cref="InvalidDataException"/>
    /// when the bytes do not fit the input (a different input or a damaged row): a stored run is never shown wrong.
    /// </summary>
    public static AdmissionResult Unpack(AdmissionInput input, AdmissionConfig config, byte[] packed)
    {
        var p = AdmissionEngine.Prepare(input, config);
        var r = new AdmissionResult(p);
        using var gz = new GZipStream(new MemoryStream(packed), CompressionMode.Decompress);
        using var rd = new BinaryReader(gz);
        if (rd.ReadInt32() != PackVersion || rd.ReadInt32() != p.N || rd.ReadInt32() != p.S || rd.ReadInt32() != p.P || rd.ReadInt32() != p.Batches.Count)
            throw new InvalidDataException("保存的录取结果与其录取数据不一致");
        foreach (var a in new[] { r.School, r.Cutoff10, r.Count, r.Offered, r.ZhibiaoLine10, r.Unfilled, p.Order, p.Quota }) Read(rd, a);
        foreach (var a in new[] { r.Batch, r.Reasons, r.ZReason }) Read(rd, a);
        if (rd.ReadBoolean())
        {
            r.MovedFrom = new int[p.N];
            r.MovedFromBatch = new byte[p.N];
            Read(rd, r.MovedFrom);
            Read(rd, r.MovedFromBatch);
        }
        return r;
    }

    private static void Write(BinaryWriter w, int[] a)
    {
        w.Write(a.Length);
        foreach (var x in a) w.Write(x);
    }

    private static void Write(BinaryWriter w, byte[] a)
    {
        w.Write(a.Length);
        w.Write(a);
    }

    private static void Read(BinaryReader r, int[] a)
    {
        if (r.ReadInt32() != a.Length) throw new InvalidDataException("保存的录取结果与其录取数据不一致");
        for (var i = 0; i < a.Length; i++) a[i] = r.ReadInt32();
    }

    private static void Read(BinaryReader r, byte[] a)
    {
        // ReadBytes keeps reading until it has them all (a gzip stream may return fewer per call) or the data ends.
        var bytes = r.ReadInt32() == a.Length ? r.ReadBytes(a.Length) : [];
        if (bytes.Length != a.Length) throw new InvalidDataException("保存的录取结果与其录取数据不一致");
        bytes.CopyTo(a, 0);
    }
}
