using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EduBureau.Core.Data;

/// <summary>Binary COPY on a context's PostgreSQL connection, in its current transaction.</summary>
internal static class PostgresCopy
{
    /// <summary>
    /// Starts <paramref name="copySql"/> (<c>COPY … FROM STDIN (FORMAT BINARY)</c>) with the context's command timeout: the
    /// connection's own (30 s) is too short for the server to finish a COPY of millions of rows.
    /// </summary>
    public static async Task<NpgsqlBinaryImporter> BeginAsync(NpgsqlConnection pg, string copySql, EduDbContext db, CancellationToken ct)
    {
        var copy = await pg.BeginBinaryImportAsync(copySql, ct);
        copy.Timeout = TimeSpan.FromSeconds(db.Database.GetCommandTimeout() ?? 600);
        return copy;
    }
}
