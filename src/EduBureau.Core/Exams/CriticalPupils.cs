namespace EduBureau.Core.Exams;

/// <summary>
/// A 临界生: a pupil close to a line, with the gap (score − line, or line rank − rank). <see cref="SchoolIndex"/> (into
/// <see cref="ExamData.Schools"/>) is what scope filters compare: names are typed by users and need not be unique.
/// </summary>
public sealed record CriticalPupil(long StudentId, string Name, string School, string Class, double Score, int Rank, double Gap, int SchoolIndex);

/// <summary>临界生 lists, ordered by school, class and score (highest first), so teachers can act on them.</summary>
public static class CriticalPupils
{
    /// <summary>Pupils whose score in <paramref name="subject"/> (S = 总分) lies within ±<paramref name="within"/> points of <paramref name="line"/>.</summary>
    public static List<CriticalPupil> ByPoints(ExamAnalysisResult r, int subject, double line, double within) =>
        Collect(r, subject, (score, _) => Math.Abs(score - line) <= within, (score, _) => score - line);

    /// <summary>Pupils whose county rank lies within ±<paramref name="within"/> places of rank <paramref name="lineRank"/> (e.g. the 普高 quota).</summary>
    public static List<CriticalPupil> ByRanks(ExamAnalysisResult r, int subject, int lineRank, int within) =>
        Collect(r, subject, (_, rank) => Math.Abs(rank - lineRank) <= within, (_, rank) => lineRank - rank);

    private static List<CriticalPupil> Collect(ExamAnalysisResult r, int subject, Func<double, int, bool> near, Func<double, int, double> gap)
    {
        var d = r.Data;
        var list = new List<CriticalPupil>();
        for (var i = 0; i < d.PupilCount; i++)
        {
            var rank = r.Ranks[subject][i];
            if (rank == 0) continue;
            double score = r.ScoreOf(i, subject);
            if (!near(score, rank)) continue;
            var cls = d.Classes[d.PupilClass[i]];
            list.Add(new CriticalPupil(d.StudentIds[i], d.Names?[i] ?? "", d.Schools[d.PupilSchool[i]].Name, cls.Name, score, rank, gap(score, rank), d.PupilSchool[i]));
        }
        return [.. list.OrderBy(c => c.School, StringComparer.Ordinal).ThenBy(c => c.Class, StringComparer.Ordinal).ThenByDescending(c => c.Score)];
    }
}
