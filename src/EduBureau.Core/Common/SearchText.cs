namespace EduBureau.Core.Common;

/// <summary>Free text typed into a search box, made safe to send to either database.</summary>
public static class SearchText
{
    /// <summary>Longer than any name or number we store: a longer term can match nothing, so it is cut.</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// The term without control characters (PostgreSQL refuses NUL in text: the search failed with 500 there, #14),
    /// trimmed and cut to <see cref="MaxLength"/>; null when nothing is left.
    /// </summary>
    public static string? Clean(string? q)
    {
        if (string.IsNullOrEmpty(q)) return null;
        var clean = new string(q.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (clean.Length > MaxLength) clean = clean[..MaxLength];
        return clean.Length == 0 ? null : clean;
    }
}
