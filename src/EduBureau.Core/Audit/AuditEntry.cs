namespace EduBureau.Core.Audit;

/// <summary>One change to the data: who, when, what, old → new (as JSON of the changed properties).</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    /// <summary>UTC. DateTime rather than DateTimeOffset because SQLite cannot order by the latter.</summary>
    public DateTime At { get; set; }
    public required string UserName { get; set; }
    /// <summary>新增 / 修改 / 删除 / 导入 / 查看 …</summary>
    public required string Action { get; set; }
    public required string Entity { get; set; }
    public string? EntityKey { get; set; }
    /// <summary>JSON object { property: [old, new] }.</summary>
    public string? Changes { get; set; }
    /// <summary>The org unit the change belongs to, so a county admin can be shown its own log.</summary>
    public int? OrgUnitId { get; set; }
}
