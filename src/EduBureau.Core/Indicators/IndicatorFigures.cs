using EduBureau.Core.Data;
using EduBureau.Core.Figures;

namespace EduBureau.Core.Indicators;

/// <summary>The indicator snapshot of a school year, stored once per change and cut to the reader's unit (ADR 0012).</summary>
public static class IndicatorFigures
{
    public static readonly FigureKind<IndicatorSnapshot> Snapshot = new("indicator-snapshot", "指标数据",
        (db, year, ct) => SnapshotLoader.LoadAsync(db, year, ct));

    /// <summary>The stored snapshot of <paramref name="year"/> as <paramref name="db"/>'s scope sees it.</summary>
    public static async Task<Figure<IndicatorSnapshot>> ForScopeAsync(FigureStore store, EduDbContext db, int year, CancellationToken ct = default)
    {
        return (await store.GetAsync(Snapshot, year, db, ct)).Map(s => s.Within(db.Scope.PathPrefix));
    }
}
