namespace EduBureau.Core.Exams;

/// <summary>Value added of one unit in one subject against an earlier exam.</summary>
public sealed record UnitValueAdded(
    ExamLevel Level, int UnitIndex, string Unit, string Subject, int SubjectIndex,
    /// <summary>Pupils present in both exams.</summary>
    int Matched,
    /// <summary>Simple view: mean of (z now − z before).</summary>
    double Simple, double? SimpleLo, double? SimpleHi,
    /// <summary>Regression view: raw mean residual (points), the shrunk value added, and its 95% interval.</summary>
    double MeanResidual, double Shrinkage, double Regression, double RegressionLo, double RegressionHi,
    /// <summary>Mean score of the unit's pupils in the earlier exam (intake).</summary>
    double IntakeMean);

public sealed class ValueAddedOptions
{
    /// <summary>Shrinkage constant k in n/(n+k); null = estimated from the data (empirical Bayes, k = σ²/τ²).</summary>
    public double? ShrinkageK { get; init; }
}

/// <summary>
/// 增值评价 (教学质量看幅度). Pupils are matched by student id between this exam and an earlier one; subjects by name
/// (and 总分 with 总分).
/// <para>Simple view: per pupil d = z_now − z_before, each z over the whole county cohort of its exam
/// (population SD); a unit's value added is the mean d with a 95% interval mean ± 1.96·s/√n (s = sample SD of d, n − 1).</para>
/// <para>Regression view: county-wide OLS y = a + b·x of this score on the earlier one over matched pupils; residual
/// e = y − a − b·x; σ² = Σe²/(N − 2). A unit's raw value added is its mean residual r (points). It is shrunk toward 0
/// by λ = n/(n + k): k = σ²/τ² with τ² = max(0, var(r_j) − mean(σ²/n_j)) estimated across the level's units
/// (method of moments, empirical Bayes), or a fixed k. VA = λ·r with 95% interval VA ± 1.96·√(λ·σ²/n).</para>
/// </summary>
public static class ValueAdded
{
    public static List<UnitValueAdded> Compute(ExamAnalysisResult now, ExamAnalysisResult before, ExamLevel level, ValueAddedOptions? options = null)
    {
        options ??= new ValueAddedOptions();
        var d = now.Data;
        var beforeIndex = new Dictionary<long, int>(before.Data.PupilCount);
        for (var i = 0; i < before.Data.PupilCount; i++) beforeIndex[before.Data.StudentIds[i]] = i;
        var match = new int[d.PupilCount];
        for (var i = 0; i < d.PupilCount; i++) match[i] = beforeIndex.GetValueOrDefault(d.StudentIds[i], -1);

        var result = new List<UnitValueAdded>();
        for (var j = 0; j <= d.SubjectCount; j++)
        {
            var jb = Array.IndexOf(before.SubjectNames, now.SubjectNames[j]);
            if (jb < 0) continue;
            var unitOf = ExamAnalysis.UnitsOf(d, level, j);
            if (unitOf is null) continue;
            var (m1, s1) = CountyMeanSd(now, j);
            var (m0, s0) = CountyMeanSd(before, jb);
            if (s1 == 0 || s0 == 0) continue;

            // Matched pairs.
            var xs = new List<double>(); var ys = new List<double>(); var us = new List<int>();
            for (var i = 0; i < d.PupilCount; i++)
            {
                if (match[i] < 0 || unitOf[i] < 0) continue;
                var y = now.ScoreOf(i, j);
                var x = before.ScoreOf(match[i], jb);
                if (double.IsNaN(y) || double.IsNaN(x)) continue;
                xs.Add(x); ys.Add(y); us.Add(unitOf[i]);
            }
            var n = xs.Count;
            if (n < 3) continue;
            double mx = xs.Average(), my = ys.Average(), sxy = 0, sxx = 0;
            for (var i = 0; i < n; i++) { sxy += (xs[i] - mx) * (ys[i] - my); sxx += (xs[i] - mx) * (xs[i] - mx); }
            var b = sxx == 0 ? 0 : sxy / sxx;
            var a = my - b * mx;
            double sse = 0;
            for (var i = 0; i < n; i++) { var e = ys[i] - a - b * xs[i]; sse += e * e; }
            var sigma2 = sse / (n - 2);

            var units = ExamAnalysis.UnitCount(d, level);
            var cnt = new int[units]; var sumD = new double[units]; var sumD2 = new double[units];
            var sumE = new double[units]; var sumX = new double[units];
            for (var i = 0; i < n; i++)
            {
                var u = us[i];
                var dz = (ys[i] - m1) / s1 - (xs[i] - m0) / s0;
                cnt[u]++; sumD[u] += dz; sumD2[u] += dz * dz; sumE[u] += ys[i] - a - b * xs[i]; sumX[u] += xs[i];
            }
            var present = Enumerable.Range(0, units).Where(u => cnt[u] > 0).ToList();
            double k;
            if (options.ShrinkageK is { } fixedK) k = fixedK;
            else
            {
                var r = present.Select(u => sumE[u] / cnt[u]).ToList();
                var rMean = r.Count > 0 ? r.Average() : 0;
                var varR = r.Count > 1 ? r.Sum(x => (x - rMean) * (x - rMean)) / (r.Count - 1) : 0;
                var tau2 = Math.Max(0, varR - present.Average(u => sigma2 / cnt[u]));
                k = tau2 > 0 ? sigma2 / tau2 : double.PositiveInfinity;
            }
            foreach (var u in present)
            {
                var c = cnt[u];
                var mean = sumD[u] / c;
                double? lo = null, hi = null;
                if (c > 1)
                {
                    var sd = Math.Sqrt(Math.Max(0, (sumD2[u] - c * mean * mean) / (c - 1)));
                    lo = mean - 1.96 * sd / Math.Sqrt(c);
                    hi = mean + 1.96 * sd / Math.Sqrt(c);
                }
                var resid = sumE[u] / c;
                var lambda = double.IsPositiveInfinity(k) ? 0 : c / (c + k);
                var va = lambda * resid;
                var half = 1.96 * Math.Sqrt(lambda * sigma2 / c);
                result.Add(new UnitValueAdded(level, u, ExamAnalysis.UnitName(d, level, u), now.SubjectNames[j], j, c,
                    mean, lo, hi, resid, lambda, va, va - half, va + half, sumX[u] / c));
            }
        }
        return result;
    }

    /// <summary>County mean and population SD of a subject over all who sat it.</summary>
    public static (double Mean, double Sd) CountyMeanSd(ExamAnalysisResult r, int subject)
    {
        var c = r.County(subject);
        return (c.Mean ?? 0, c.Sd ?? 0);
    }
}
