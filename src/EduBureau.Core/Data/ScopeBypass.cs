using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Data;

/// <summary>
/// The only ways past the scope filters of <see cref="EduDbContext"/> (a test keeps <c>IgnoreQueryFilters</c> out of
/// every other file). Each is named so a reviewer sees the bypass at the call site; docs/architecture.md, "Scope and
/// its bypasses", says when each is allowed. System work (CLI, demo, rollover, jobs) needs none of them: it opens a
/// context with <see cref="Database.OpenSystem"/>, which the filters let through.
/// </summary>
public static class ScopeBypass
{
    /// <summary>
    /// Every row of the county, scope filters off, read-only (no tracking). For reads the caller narrows afterwards or
    /// that only answer a county-wide question: a pupil's history across schools, a uniqueness check (学籍号, 学校标识码,
    /// a unit's name under its parent), a school looked up by code, names of units outside the scope for a label.
    /// Never show the rows as such: what reaches the page must be narrowed to <see cref="EduDbContext.Scope"/> or be
    /// the answer to such a question.
    /// </summary>
    /// <remarks>Like <c>IgnoreQueryFilters</c> it applies to the whole query it is part of (joins included).</remarks>
    public static IQueryable<T> CountyWide<T>(this DbSet<T> set) where T : class =>
        set.IgnoreQueryFilters().AsNoTracking();

    /// <summary>
    /// Scope filters off, tracked: only for a write that must reach rows beyond the scope, or must see its own tracked
    /// copies, e.g. the set-based path rewrite when a unit moves (<c>ExecuteUpdate</c> skips the save checks: check the
    /// scope before) or the save checks of <see cref="EduDbContext"/> themselves. Reads use <see cref="CountyWide{T}"/>.
    /// </summary>
    public static IQueryable<T> CountyWideForWrite<T>(this DbSet<T> set) where T : class =>
        set.IgnoreQueryFilters();

    /// <summary>
    /// Keeps every filter except the costly per-person re-check (<see cref="EduDbContext.PersonScope"/>): for a roster
    /// read that reaches pupils or staff only through rows that are themselves school-scoped (enrolments, assignments),
    /// so the person filter would only repeat what those rows already enforce. Sees nothing more than the scope.
    /// </summary>
    public static IQueryable<T> WithoutPersonRecheck<T>(this DbSet<T> set) where T : class =>
        set.IgnoreQueryFilters([EduDbContext.PersonScope]);
}
