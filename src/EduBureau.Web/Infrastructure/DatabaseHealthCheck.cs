using EduBureau.Core.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EduBureau.Web.Infrastructure;

internal sealed class DatabaseHealthCheck(DatabaseOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        await using var db = Database.OpenSystem(options, "health");
        return await db.Database.CanConnectAsync(ct)
            ? HealthCheckResult.Healthy($"{options.Provider} 可连接")
            : HealthCheckResult.Unhealthy($"{options.Provider} 无法连接");
    }
}
