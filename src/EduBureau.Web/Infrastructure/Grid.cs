using EduBureau.Core.Data;
using EduBureau.Core.Audit;
using System.Data;
using System.Globalization;
using System.Linq.Expressions;
using EduBureau.Core.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using MiniExcelLibs;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// Paging, sort and filters as they arrive in the query string: <c>page</c>, <c>size</c>, <c>sort</c>, <c>desc=1</c>
/// and one <c>f_&lt;column&gt;</c> per filter. Links keep every other parameter (search box, tab, …).
/// </summary>
public sealed class GridQuery
{
    public const string FilterPrefix = "f_";
    public static readonly int[] PageSizes = [20, 50, 100, 200];

    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;
    public string? Sort { get; init; }
    public bool Desc { get; init; }
    public IReadOnlyDictionary<string, string> Filters { get; init; } = new Dictionary<string, string>();
    public const string ControlCharactersNotice = "筛选条件中的控制字符（如 NUL）无效，已删除";
    /// <summary>A note for the user about the filters as read (control characters dropped), or null.</summary>
    public string? Notice { get; init; }
    public string Path { get; init; } = "";
    private IReadOnlyDictionary<string, StringValues> Raw { get; init; } = new Dictionary<string, StringValues>();

    public static GridQuery From(HttpRequest request, int pageSize = 50)
    {
        var q = request.Query;
        // Control characters (NUL above all: PostgreSQL refuses it in text) cannot be part of any value we store;
        // they are dropped and the page says so instead of failing.
        var stripped = false;
        var filters = new Dictionary<string, string>();
        foreach (var (key, value) in q.Where(p => p.Key.StartsWith(FilterPrefix, StringComparison.Ordinal)))
        {
            var raw = value.ToString();
            var clean = new string(raw.Where(c => !char.IsControl(c)).ToArray()).Trim();
            stripped |= clean.Length != raw.Trim().Length;
            if (clean.Length > 0) filters[key[FilterPrefix.Length..]] = clean;
        }
        var size = int.TryParse(q["size"], out var s) && PageSizes.Contains(s) ? s : pageSize;
        return new GridQuery
        {
            Page = int.TryParse(q["page"], out var p) && p > 0 ? p : 1,
            PageSize = size,
            Sort = string.IsNullOrEmpty(q["sort"]) ? null : q["sort"].ToString(),
            Desc = q["desc"] == "1",
            Filters = filters,
            Notice = stripped ? ControlCharactersNotice : null,
            Path = request.PathBase + request.Path,
            Raw = q.ToDictionary(p => p.Key, p => p.Value),
        };
    }

    /// <summary>The same query on another page (after clamping to the last page).</summary>
    public GridQuery AtPage(int page) => new()
    {
        Page = page, PageSize = PageSize, Sort = Sort, Desc = Desc, Filters = Filters, Notice = Notice, Path = Path, Raw = Raw,
    };

    public string? Filter(string key) => Filters.TryGetValue(key, out var v) ? v : null;

    /// <summary>This page's URL with some parameters replaced (null removes one).</summary>
    public string Link(params (string Key, string? Value)[] changes)
    {
        var d = Raw.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        d.Remove("handler");
        foreach (var (k, v) in changes)
            if (v is null) d.Remove(k); else d[k] = v;
        return Path + QueryString.Create(d.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)));
    }

    public string SortLink(string key) => Link(("sort", key), ("desc", Sort == key && !Desc ? "1" : null), ("page", null));
    public string PageLink(int page) => Link(("page", page.ToString(CultureInfo.InvariantCulture)));
    public string ExportLink => Link(("page", null), ("handler", "Export"));
    public string ClearFiltersLink => Path + QueryString.Create(Raw
        .Where(p => !p.Key.StartsWith(FilterPrefix, StringComparison.Ordinal) && p.Key is not ("page" or "handler"))
        .Select(p => new KeyValuePair<string, string?>(p.Key, p.Value.ToString())));

    /// <summary>Parameters a filter form must carry along as hidden fields (everything but the filters and the page).</summary>
    public IEnumerable<KeyValuePair<string, string>> CarriedParameters(params string[] except) => Raw
        .Where(p => !p.Key.StartsWith(FilterPrefix, StringComparison.Ordinal) && p.Key is not ("page" or "handler") && !except.Contains(p.Key))
        .Select(p => new KeyValuePair<string, string>(p.Key, p.Value.ToString()));
}

public enum GridFilterKind
{
    None,
    /// <summary>Free text, matched with "contains".</summary>
    Contains,
    /// <summary>A drop-down of <see cref="GridColumnInfo.Options"/>, matched exactly.</summary>
    Select,
}

public sealed record GridOption(string Value, string Label);

/// <summary>What a view needs to know about a column.</summary>
public sealed record GridColumnInfo(string Key, string Header, bool Numeric, GridFilterKind Filter, IReadOnlyList<GridOption> Options);

public sealed record GridCell(string Text, string? Href = null, string? Css = null);

/// <summary>The non-generic face of a page of a grid, for the shared _Grid partial.</summary>
public interface IGridView
{
    GridQuery Query { get; }
    IReadOnlyList<GridColumnInfo> Columns { get; }
    IEnumerable<IReadOnlyList<GridCell>> Rows { get; }
    int Total { get; }
    int PageCount { get; }
    bool Exportable { get; }
    /// <summary>Query parameters (besides the grid's own) to keep as hidden fields in the filter form.</summary>
    string[] NotCarried { get; }
}

/// <summary>
/// A table definition over an <see cref="IQueryable{T}"/>: columns with how to sort, filter, show and export them.
/// Paging, sorting and filtering run in the database; export writes the same columns (Chinese headers) to .xlsx.
/// </summary>
public sealed class Grid<T>
{
    private sealed class Column
    {
        public required GridColumnInfo Info { get; init; }
        public required Func<IQueryable<T>, bool, bool, IQueryable<T>> Order { get; init; }
        public Func<IQueryable<T>, string, IQueryable<T>>? Where { get; init; }
        public required Func<T, object?> Value { get; init; }
        public Func<T, string?>? Href { get; init; }
        public Func<T, string?>? Css { get; init; }
    }

    private readonly List<Column> _columns = [];
    private string? _defaultSort;
    private bool _defaultDesc;
    public bool Exportable { get; set; } = true;

    public Grid<T> DefaultSort(string key, bool desc = false)
    {
        _defaultSort = key;
        _defaultDesc = desc;
        return this;
    }

    /// <summary>Adds a column. <paramref name="options"/> turns its filter into a drop-down (values compared exactly).</summary>
    public Grid<T> Add<TKey>(string key, string header, Expression<Func<T, TKey>> expr, GridFilterKind filter = GridFilterKind.None,
        IReadOnlyList<GridOption>? options = null, Func<T, string?>? href = null, Func<T, object?>? display = null, Func<T, string?>? css = null)
    {
        // Interpreted: grids are built per request, and compiling each column's lambda to IL (Reflection.Emit, then a
        // finalizer per dynamic method) was a fifth of the 学生 list's CPU under load (#16, dotnet-trace). A page
        // evaluates it for 50–200 rows only.
        var compiled = expr.Compile(preferInterpretation: true);
        var numeric = Nullable.GetUnderlyingType(typeof(TKey)) is { } u ? IsNumber(u) : IsNumber(typeof(TKey));
        if (filter == GridFilterKind.Select && options is null && EnumType(typeof(TKey)) is { } et)
            options = EnumOptions(et);
        _columns.Add(new Column
        {
            Info = new GridColumnInfo(key, header, numeric, filter, options ?? []),
            Order = (q, desc, first) => first
                ? (desc ? q.OrderByDescending(expr) : q.OrderBy(expr))
                : (desc ? ((IOrderedQueryable<T>)q).ThenByDescending(expr) : ((IOrderedQueryable<T>)q).ThenBy(expr)),
            Where = filter switch
            {
                GridFilterKind.Contains => (q, v) => q.Where(ContainsPredicate(expr, v)),
                GridFilterKind.Select => (q, v) => TryConvert<TKey>(v, out var value) ? q.Where(EqualsPredicate(expr, value)) : q.Where(_ => false),
                _ => null,
            },
            Value = display ?? (x => compiled(x)),
            Href = href,
            Css = css,
        });
        return this;
    }

    public IReadOnlyList<GridColumnInfo> Columns => _columns.Select(c => c.Info).ToList();

    /// <summary>Filters and sorts (the chosen column, then the default one for a stable order).</summary>
    public IQueryable<T> Apply(IQueryable<T> source, GridQuery query)
    {
        foreach (var c in _columns)
            if (c.Where is not null && query.Filter(c.Info.Key) is { } v)
                source = c.Where(source, v);
        var first = _columns.FirstOrDefault(c => c.Info.Key == query.Sort) ?? _columns.FirstOrDefault(c => c.Info.Key == _defaultSort) ?? _columns[0];
        var desc = first.Info.Key == query.Sort ? query.Desc : _defaultDesc;
        source = first.Order(source, desc, true);
        var tie = _columns.FirstOrDefault(c => c.Info.Key == _defaultSort);
        if (tie is not null && tie != first) source = tie.Order(source, _defaultDesc, false);
        return source;
    }

    public async Task<GridPage<T>> PageAsync(IQueryable<T> source, GridQuery query, CancellationToken ct = default)
    {
        var filtered = Apply(source, query);
        var total = await filtered.CountAsync(ct);
        var pages = Math.Max(1, (total + query.PageSize - 1) / query.PageSize);
        var page = Math.Min(query.Page, pages);
        var items = await filtered.Skip((page - 1) * query.PageSize).Take(query.PageSize).ToListAsync(ct);
        return new GridPage<T>(this, query.AtPage(page), items, total, pages);
    }

    /// <summary>A page whose rows were found elsewhere (an in-memory search), in this grid's order.</summary>
    public GridPage<T> PageOf(IReadOnlyList<T> items, int total, GridQuery query, int pages) => new(this, query, items, total, pages);

    public IReadOnlyList<GridCell> Cells(T row) => _columns.Select(c =>
        new GridCell(Format(c.Value(row)), c.Href?.Invoke(row), c.Css?.Invoke(row))).ToList();

    /// <summary>The filtered, sorted rows (no paging) as an .xlsx with the grid's headers.</summary>
    public async Task<FileStreamResult> ExportAsync(IQueryable<T> source, GridQuery query, string fileName, CancellationToken ct = default) =>
        (await ExportCountedAsync(source, query, fileName, ct)).File;

    /// <summary>
    /// A list of people (names, 学籍号, 身份证件号) as an .xlsx, with the one audit line every personal-data export
    /// leaves (#14): what, the file name, the filters used and the row count.
    /// </summary>
    public async Task<FileStreamResult> ExportPersonalAsync(EduDbContext db, string what, IQueryable<T> source, GridQuery query,
        string fileName, CancellationToken ct = default)
    {
        var (file, rows) = await ExportCountedAsync(source, query, fileName, ct);
        var filter = query.Filters.Count == 0 ? null : string.Join("；", query.Filters.Select(f => $"{f.Key}={f.Value}"));
        await db.AuditExportAsync(what, file.FileDownloadName, rows, filter, ct);
        return file;
    }

    private async Task<(FileStreamResult File, int Rows)> ExportCountedAsync(IQueryable<T> source, GridQuery query, string fileName, CancellationToken ct)
    {
        var rows = await Apply(source, query).ToListAsync(ct);
        var table = new DataTable("Sheet1");
        foreach (var c in _columns) table.Columns.Add(c.Info.Header, typeof(object));
        foreach (var row in rows)
            table.Rows.Add(_columns.Select(c => ExportValue(c.Value(row))).ToArray());
        var stream = new MemoryStream();
        await stream.SaveAsAsync(table, excelType: ExcelType.XLSX, cancellationToken: ct);
        stream.Position = 0;
        return (new FileStreamResult(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        {
            FileDownloadName = fileName.EndsWith(".xlsx", StringComparison.Ordinal) ? fileName : fileName + ".xlsx",
        }, rows.Count);
    }

    public static string Format(object? v) => v switch
    {
        null => "",
        Enum e => e.Zh(),
        bool b => Labels.YesNo(b),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        // Grid numbers are figures (班级数, 在校生数): thousands separators (#15).
        int or long => Convert.ToInt64(v, CultureInfo.InvariantCulture).ToString("N0", CultureInfo.InvariantCulture),
        double or float or decimal => Convert.ToDouble(v, CultureInfo.InvariantCulture).ToString("#,0.0", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    private static object ExportValue(object? v) => v switch
    {
        null => DBNull.Value,
        int or long or double or float or decimal => v,
        _ => Format(v),
    };

    private static bool IsNumber(Type t) => !t.IsEnum && (t == typeof(int) || t == typeof(long) || t == typeof(double) || t == typeof(decimal) || t == typeof(float));

    private static Type? EnumType(Type t) => (Nullable.GetUnderlyingType(t) ?? t) is { IsEnum: true } e ? e : null;

    private static List<GridOption> EnumOptions(Type t) => Enum.GetValues(t).Cast<Enum>()
        .Select(e => new GridOption(Convert.ToInt32(e, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture), e.Zh())).ToList();

    private static bool TryConvert<TKey>(string text, out TKey value)
    {
        value = default!;
        var t = Nullable.GetUnderlyingType(typeof(TKey)) ?? typeof(TKey);
        object? parsed = null;
        if (t == typeof(string)) parsed = text;
        else if (t.IsEnum && int.TryParse(text, out var i) && Enum.IsDefined(t, i)) parsed = Enum.ToObject(t, i);
        else if (t == typeof(bool)) parsed = text switch { "1" or "是" or "true" => true, "0" or "否" or "false" => false, _ => null };
        else if (t == typeof(int) && int.TryParse(text, out var n)) parsed = n;
        else if (t == typeof(long) && long.TryParse(text, out var l)) parsed = l;
        if (parsed is null) return false;
        value = (TKey)parsed;
        return true;
    }

    private static Expression<Func<T, bool>> ContainsPredicate<TKey>(Expression<Func<T, TKey>> expr, string value)
    {
        if (typeof(TKey) != typeof(string)) throw new InvalidOperationException("文本筛选只适用于文本列");
        var contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
        var notNull = Expression.NotEqual(expr.Body, Expression.Constant(null, typeof(string)));
        var call = Expression.Call(expr.Body, contains, Parameter(value));
        return Expression.Lambda<Func<T, bool>>(Expression.AndAlso(notNull, call), expr.Parameters);
    }

    private static Expression<Func<T, bool>> EqualsPredicate<TKey>(Expression<Func<T, TKey>> expr, TKey value) =>
        Expression.Lambda<Func<T, bool>>(Expression.Equal(expr.Body, Parameter(value)), expr.Parameters);

    /// <summary>
    /// The user's value as a member of a captured object, which EF Core sends as a SQL parameter; a bare
    /// Expression.Constant would be inlined into the SQL text as a literal.
    /// </summary>
    private static MemberExpression Parameter<TKey>(TKey value) =>
        Expression.Property(Expression.Constant(new Captured<TKey>(value)), nameof(Captured<TKey>.Value));

    private sealed record Captured<TKey>(TKey Value);
}

/// <summary>One page of a grid's rows.</summary>
public sealed class GridPage<T>(Grid<T> grid, GridQuery query, IReadOnlyList<T> items, int total, int pageCount) : IGridView
{
    public IReadOnlyList<T> Items { get; } = items;
    public GridQuery Query { get; } = query;
    public IReadOnlyList<GridColumnInfo> Columns { get; } = grid.Columns;
    public IEnumerable<IReadOnlyList<GridCell>> Rows => Items.Select(grid.Cells);
    public int Total { get; } = total;
    public int PageCount { get; } = pageCount;
    public bool Exportable => grid.Exportable;
    public string[] NotCarried { get; init; } = [];
}
