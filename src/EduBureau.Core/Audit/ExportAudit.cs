using System.Text.Encodings.Web;
using System.Text.Json;
using EduBureau.Core.Data;

namespace EduBureau.Core.Audit;

/// <summary>
/// One audit line per download of personal data (#14): who (the scope's actor), what (<paramref name="what"/>, <paramref name="key"/>),
/// scope (the actor's root unit; whether IDs were masked) and the row count. Every export that carries names, 学籍号 or
/// 身份证件号 calls this once, after the file is written.
/// </summary>
public static class ExportAudit
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task AuditExportAsync(this EduDbContext db, string what, string? key, int rows, string? filter = null, CancellationToken ct = default) =>
        db.AuditAsync("导出", what, key,
            JsonSerializer.Serialize(new { rows, filter, masked = !db.Scope.SeesFullIdNumbers }, Json), db.Scope.RootUnitId, ct);
}
