using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Students;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// The 学生 list and its API: a search in the default order (学籍号, no column filters) is answered from the in-memory
/// roster (<see cref="RosterSearch"/>), reading only the page's rows from the database through the reader's scoped
/// query; anything else, and a roster too large to hold, goes to SQL as before.
/// </summary>
public static class StudentSearch
{
    public static async Task<GridPage<StudentRow>> PageAsync(EduDbContext db, RosterSearch roster, Grid<StudentRow> grid, int year, string? q,
        GridQuery query, CancellationToken ct)
    {
        var term = SearchText.Clean(q);
        if (term is not null && query.Filters.Count == 0 && query.Sort is null or "no" && !query.Desc)
        {
            // The schools the reader may see: the same scope the enrolment query filters by.
            IReadOnlySet<int>? schools = db.Unrestricted ? null : (await db.Schools.Select(s => s.Id).ToListAsync(ct)).ToHashSet();
            if (await roster.FindAsync(db, year, term, schools, ct) is { } found)
            {
                var pages = Math.Max(1, (found.Count + query.PageSize - 1) / query.PageSize);
                var page = Math.Min(query.Page, pages);
                var ids = found.Skip((page - 1) * query.PageSize).Take(query.PageSize).ToList();
                var items = await StudentQueries.Search(db, year, null).Where(r => ids.Contains(r.Id)).OrderBy(r => r.StudentNo).ToListAsync(ct);
                return grid.PageOf(items, found.Count, query.AtPage(page), pages);
            }
        }
        return await grid.PageAsync(StudentQueries.Search(db, year, q), query, ct);
    }
}
