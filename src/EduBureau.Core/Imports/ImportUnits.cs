using System.Data.Common;
using System.Globalization;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Imports;

/// <summary>
/// 单位: the tree above the schools (省/市/县区/乡镇/街道). A row updates the unit with its 行政区划代码, else the unit of
/// that name under the same parent, else creates one; 上级单位 names a unit of the file (before or after the row) or of the
/// platform, by code or name. The whole file is checked as one tree (unknown parents, duplicate codes, cycles, names
/// unique within a parent, kinds under their parent kinds, a single root) and then written in one transaction through
/// the context, so every change is audited. A 县区 root row takes over the placeholder root of a new installation.
/// </summary>
internal sealed class UnitImport(EduDbContext db, ImportOptions options) : EntityHandler(db, options)
{
    private const int CName = 0, CKind = 1, CCode = 2, CParent = 3;

    /// <summary>The 单位类型 drop-down: 街道 is stored as a township.</summary>
    public static readonly string[] KindLabels = ["省", "市", "县区", "乡镇", "街道"];

    private sealed record Existing(int Id, string Name, OrgUnitKind Kind, string? Code, int? ParentId, string Path);

    private sealed class Line
    {
        public required int Row { get; init; }
        public required string Name { get; init; }
        public required OrgUnitKind Kind { get; init; }
        public string? Code { get; init; }
        public string? ParentText { get; init; }
        public Line? ParentLine { get; set; }
        public Existing? ParentUnit { get; set; }
        public Existing? Match { get; set; }
        public bool Resolved { get; set; }
        public bool Resolving { get; set; }
        public bool Bad { get; set; }
        public bool Changes { get; set; }
    }

    private List<Existing> _units = [];
    private Dictionary<int, Existing> _byId = [];
    private readonly List<Line> _lines = [];
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly string _sheet = Template.For(ImportEntity.Units).Name;

    public override async Task PrepareAsync(CancellationToken ct)
    {
        var scope = Db.Scope;
        if (!scope.IsUnrestricted && scope.Role != Roles.BureauAdmin)
            throw new ImportFileException("只有局管理员可以导入单位（组织机构）；乡镇和学校账号请联系教育局");
        // County-wide: the file describes the whole tree (局管理员 only, checked above), whatever unit the top bar narrows to.
        _units = await Db.OrgUnits.CountyWide()
            .Select(u => new Existing(u.Id, u.Name, u.Kind, u.Code, u.ParentId, u.Path)).ToListAsync(ct);
        _byId = _units.ToDictionary(u => u.Id);
    }

    public override void Validate(RowReader r)
    {
        var name = r.Text(CName, 100);
        OrgUnitKind? kind = null;
        var kindText = r[CKind];
        if (kindText is null) r.Error(CKind, null, "必填项为空");
        else if (ParseKind(kindText) is { } k) kind = k;
        else r.Error(CKind, kindText, $"不是允许的值（应为：{string.Join("、", KindLabels)}）", "不是允许的值");
        var code = r.Text(CCode, 20);
        if (code is not null && kind is { } kk && OrgRules.CodeRefusal(kk, code) is { } bad)
        {
            r.Error(CCode, code, bad, "行政区划代码格式错误");
            code = null;
        }
        if (code is not null)
        {
            if (_codes.TryGetValue(code, out var first)) r.Error(CCode, code, $"与第{first}行重复", "行政区划代码重复");
            else _codes[code] = r.Row;
        }
        var parent = r.Text(CParent, 100);
        if (r.RowErrors > 0 || name is null || kind is null) return;
        _lines.Add(new Line { Row = r.Row, Name = name, Kind = kind.Value, Code = code, ParentText = parent });
    }

    private static OrgUnitKind? ParseKind(string text) => text.Trim() switch
    {
        "省" => OrgUnitKind.Province,
        "市" => OrgUnitKind.City,
        "县区" or "县" or "区" => OrgUnitKind.County,
        "乡镇" or "乡" or "镇" or "街道" => OrgUnitKind.Township,
        _ => null,
    };

    private void Error(IssueLog log, Line line, string column, string? value, string message, string kind)
    {
        line.Bad = true;
        log.Add(new ImportIssue(IssueLevel.Error, _sheet, line.Row, column, value, message), kind);
    }

    private const string HName = "单位名称", HKind = "单位类型", HCode = "行政区划代码", HParent = "上级单位";

    public override void AfterValidation(IssueLog log)
    {
        if (log.HasErrors) return;
        var nonSchool = _units.Where(u => u.Kind != OrgUnitKind.School).ToList();

        // 1. Parents: a row of the file (by code, then by name), else a unit of the platform (by code, then by name).
        foreach (var line in _lines.Where(l => l.ParentText is not null))
        {
            var text = line.ParentText!;
            var byCode = _lines.Where(l => l.Code == text).ToList();
            var byName = byCode.Count > 0 ? byCode : _lines.Where(l => l.Name == text).ToList();
            if (byName.Count == 1) { line.ParentLine = byName[0]; continue; }
            if (byName.Count > 1)
            {
                Error(log, line, HParent, text, $"文件中有多个名为“{text}”的单位（第{string.Join("、", byName.Select(l => l.Row))}行）：请改填上级单位的行政区划代码", "上级单位不明确");
                continue;
            }
            var units = nonSchool.Where(u => u.Code == text).ToList();
            if (units.Count == 0) units = nonSchool.Where(u => u.Name == text).ToList();
            if (units.Count == 1) line.ParentUnit = units[0];
            else if (units.Count > 1)
                Error(log, line, HParent, text, $"平台中有多个名为“{text}”的单位：请改填上级单位的行政区划代码", "上级单位不明确");
            else Error(log, line, HParent, text, "上级单位不存在（文件和平台中都没有这个名称或代码）", "上级单位不存在");
        }
        if (log.HasErrors) return;

        // 2. Which platform unit each row updates: by code, else by name under the same parent.
        foreach (var line in _lines) Resolve(log, line);
        if (log.HasErrors) return;
        var claimed = new Dictionary<int, Line>();
        foreach (var line in _lines.Where(l => l.Match is not null))
        {
            if (claimed.TryGetValue(line.Match!.Id, out var other))
                Error(log, line, HName, line.Name, $"与第{other.Row}行是同一个单位（{line.Match.Name}）", "单位重复");
            else claimed[line.Match.Id] = line;
        }
        if (log.HasErrors) return;

        // 3. The tree after the file: final parent of every unit (rows as "r<row>", platform units as "u<id>").
        string Node(Line l) => l.Match is { } m ? "u" + m.Id.ToString(CultureInfo.InvariantCulture) : "r" + l.Row.ToString(CultureInfo.InvariantCulture);
        string? ParentNode(Line l) => l.ParentLine is { } p ? Node(p) : l.ParentUnit is { } u ? "u" + u.Id.ToString(CultureInfo.InvariantCulture) : null;
        var lineOf = _lines.ToDictionary(Node);
        string? FinalParent(string node)
        {
            if (lineOf.TryGetValue(node, out var l)) return ParentNode(l);
            var u = _byId[int.Parse(node.AsSpan(1), CultureInfo.InvariantCulture)];
            return u.ParentId is { } p ? "u" + p.ToString(CultureInfo.InvariantCulture) : null;
        }
        OrgUnitKind KindOf(string node) => lineOf.TryGetValue(node, out var l) ? l.Kind : _byId[int.Parse(node.AsSpan(1), CultureInfo.InvariantCulture)].Kind;
        string NameOf(string node) => lineOf.TryGetValue(node, out var l) ? l.Name : _byId[int.Parse(node.AsSpan(1), CultureInfo.InvariantCulture)].Name;

        // Cycles: walking up from a row must reach a root without meeting the row again.
        foreach (var line in _lines)
        {
            var start = Node(line);
            var seen = new HashSet<string> { start };
            var chain = new List<string> { line.Name };
            for (var n = FinalParent(start); n is not null; n = FinalParent(n))
            {
                chain.Add(NameOf(n));
                if (n == start)
                {
                    Error(log, line, HParent, line.ParentText, $"上下级关系形成循环（{string.Join(" → ", chain)}）", "上下级循环");
                    break;
                }
                if (!seen.Add(n)) break; // a cycle not through this row: reported on its own rows
            }
        }
        if (log.HasErrors) return;

        // Kinds under their parent kinds.
        foreach (var line in _lines)
            if (OrgRules.KindRefusal(line.Kind, ParentNode(line) is { } p ? KindOf(p) : null) is { } why)
                Error(log, line, line.ParentText is null ? HKind : HParent, line.ParentText ?? (line.Kind.Zh()), why, "类型与上级不符");

        // Names unique within a parent, after the file.
        var finalNames = new Dictionary<(string? Parent, string Name), string>();
        foreach (var u in _units.Where(u => !claimed.ContainsKey(u.Id)))
            finalNames.TryAdd((u.ParentId is { } p ? "u" + p.ToString(CultureInfo.InvariantCulture) : null, u.Name), "u" + u.Id.ToString(CultureInfo.InvariantCulture));
        foreach (var line in _lines)
        {
            var key = (ParentNode(line), line.Name);
            if (finalNames.TryGetValue(key, out var other) && other != Node(line))
            {
                var where = key.Item1 is { } pn ? NameOf(pn) : "最上级";
                var whom = lineOf.TryGetValue(other, out var ol) ? $"与第{ol.Row}行重名" : "与平台中已有单位重名";
                Error(log, line, HName, line.Name, $"{where}下已有名为“{line.Name}”的单位（{whom}）：同一上级下的单位名称不能重复", "同一上级下名称重复");
            }
            else finalNames[key] = Node(line);
        }

        // One root: rows without a parent must be the platform's root (or take over its placeholder).
        var roots = _units.Where(u => u.ParentId is null).ToList();
        var rootLines = _lines.Where(l => ParentNode(l) is null).ToList();
        if (roots.Count == 0)
            foreach (var extra in rootLines.Skip(1))
                Error(log, extra, HParent, null, $"文件中只能有一个最上级单位（第{rootLines[0].Row}行已是最上级单位）：请填写上级单位", "多个最上级单位");
        else
            foreach (var line in rootLines.Where(l => l.Match is null || l.Match.ParentId is not null))
                Error(log, line, HParent, null, $"平台已有最上级单位“{roots[0].Name}”：请填写上级单位（只能有一个最上级单位）", "多个最上级单位");

        // Scope: a bureau admin imports within its unit; only the CLI (unrestricted) may create a new root.
        var scope = Db.Scope;
        if (!scope.IsUnrestricted)
            foreach (var line in _lines.Where(l => !l.Bad))
            {
                if (line.Match is { } m && !scope.Covers(m.Path))
                    Error(log, line, HName, line.Name, $"无权修改管理范围以外的单位（{m.Name}）", "超出管理范围");
                else if (line.ParentUnit is { } pu && line.Match?.ParentId != pu.Id && !scope.Covers(pu.Path))
                    Error(log, line, HParent, line.ParentText, $"无权在管理范围以外的单位（{pu.Name}）下新增或迁入单位", "超出管理范围");
                else if (line.Match is null && ParentNode(line) is null)
                    Error(log, line, HParent, null, "无权新增最上级单位", "超出管理范围");
            }

        foreach (var line in _lines.Where(l => !l.Bad))
        {
            if (line.Match is not { } m) { Inserted++; continue; }
            var parentNode = ParentNode(line);
            var oldParent = m.ParentId is { } op ? "u" + op.ToString(CultureInfo.InvariantCulture) : null;
            line.Changes = m.Name != line.Name || m.Kind != line.Kind || (line.Code is not null && line.Code != m.Code) || parentNode != oldParent;
            if (line.Changes) Updated++; else Unchanged++;
        }
    }

    /// <summary>Finds the platform unit a row updates (its parent's first, so "same name under the same parent" can be asked).</summary>
    private void Resolve(IssueLog log, Line line)
    {
        if (line.Resolved) return;
        if (line.Resolving) return; // a cycle through parents: reported by the cycle check
        line.Resolving = true;
        int? parentId = null;
        var parentKnown = true;
        if (line.ParentLine is { } pl)
        {
            Resolve(log, pl);
            if (pl.Match is { } pm) parentId = pm.Id; else parentKnown = false;
        }
        else if (line.ParentUnit is { } pu) parentId = pu.Id;

        var nonSchool = _units.Where(u => u.Kind != OrgUnitKind.School);
        var byCode = line.Code is null ? null : nonSchool.FirstOrDefault(u => u.Code == line.Code);
        var byName = parentKnown ? nonSchool.Where(u => u.ParentId == parentId && u.Name == line.Name).ToList() : [];
        if (byCode is not null)
        {
            // The unit this row names (same name, same parent) is another one, and no other row of the file takes it by its code.
            if (byName.FirstOrDefault(u => u.Id != byCode.Id) is { } clash && !_lines.Any(l => l != line && l.Code is not null && l.Code == clash.Code))
                Error(log, line, HCode, line.Code, $"已被平台中另一单位“{byCode.Name}”使用（本行名称对应的是“{clash.Name}”）", "行政区划代码与其他单位冲突");
            line.Match = byCode;
        }
        else if (byName.Count == 1) line.Match = byName[0];
        else if (parentId is null && parentKnown && line.ParentText is null)
        {
            // The placeholder root of a new installation (no code yet) is taken over by the file's 县区 root row.
            var roots = _units.Where(u => u.ParentId is null).ToList();
            if (roots.Count == 1 && roots[0].Code is null && roots[0].Kind == OrgUnitKind.County && line.Kind == OrgUnitKind.County
                && !_lines.Any(l => l != line && l.Match == roots[0]))
                line.Match = roots[0];
        }
        if (line.Match is { } m && m.Kind == OrgUnitKind.School)
            line.Match = null;
        line.Resolving = false;
        line.Resolved = true;
    }

    public override Task BeginWriteAsync(DbTransaction tx, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Rows were all checked as one tree; they are written together at the end, parents first.</summary>
    public override ValueTask WriteAsync(RowReader r, CancellationToken ct) => ValueTask.CompletedTask;

    public override async Task EndWriteAsync(ImportResult result, CancellationToken ct)
    {
        // Tracked units of the platform (schools excluded: they only follow a move, set-based).
        // Tracked and county-wide: the units this import renames or moves; the save checks each change.
        var tracked = await Db.OrgUnits.CountyWideForWrite().Where(u => u.Kind != OrgUnitKind.School).ToDictionaryAsync(u => u.Id, ct);
        var done = new Dictionary<Line, OrgUnit>();
        async Task<OrgUnit?> WriteLineAsync(Line line)
        {
            if (done.TryGetValue(line, out var already)) return already;
            OrgUnit? parent = line.ParentLine is { } pl ? await WriteLineAsync(pl)
                : line.ParentUnit is { } pu ? tracked[pu.Id] : null;
            OrgUnit unit;
            if (line.Match is { } m)
            {
                unit = tracked[m.Id];
                unit.Name = line.Name;
                unit.Kind = line.Kind;
                if (line.Code is not null) unit.Code = line.Code;
                if (parent is not null && unit.ParentId != parent.Id) await OrgRules.MoveAsync(Db, unit, parent, ct);
                await Db.SaveChangesAsync(ct);
            }
            else
            {
                // A provisional path inside the parent, so the scope check accepts the insert before the id is known.
                unit = new OrgUnit { Name = line.Name, Kind = line.Kind, Code = line.Code, Path = parent?.Path ?? "/", Depth = parent is null ? 0 : parent.Depth + 1 };
                Db.OrgUnits.Add(unit);
                await Db.SaveChangesAsync(ct);
                unit.PlaceUnder(parent);
                await Db.SaveChangesAsync(ct);
                tracked[unit.Id] = unit;
            }
            done[line] = unit;
            return unit;
        }
        foreach (var line in _lines) await WriteLineAsync(line);
    }
}
