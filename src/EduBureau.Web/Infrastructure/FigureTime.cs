using EduBureau.Core.Figures;

namespace EduBureau.Web.Infrastructure;

/// <summary>When a page's stored figures were computed (ADR 0012), for the line under its title (<c>_FigureTime</c>).</summary>
public sealed record FigureTime(int Year, DateTime ComputedUtc, string ComputedBy, int DurationMs)
{
    public static FigureTime Of<T>(Figure<T> f, int year) => new(year, f.ComputedUtc, f.ComputedBy, f.DurationMs);
}
