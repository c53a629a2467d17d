using EduBureau.Core.Common;

namespace EduBureau.Demo;

/// <summary>Deterministic helpers: a hash for per-item noise (independent of draw order) and name pools.</summary>
internal static class DemoRandom
{
    /// <summary>SplitMix64 over the inputs: the same inputs give the same value in every process (unlike string.GetHashCode).</summary>
    public static ulong Hash(params ReadOnlySpan<long> parts)
    {
        ulong h = 0x9E3779B97F4A7C15;
        foreach (var p in parts)
        {
            h ^= unchecked((ulong)p);
            h = unchecked(h + 0x9E3779B97F4A7C15);
            h = unchecked((h ^ (h >> 30)) * 0xBF58476D1CE4E5B9);
            h = unchecked((h ^ (h >> 27)) * 0x94D049BB133111EB);
            h ^= h >> 31;
        }
        return h;
    }

    /// <summary>A value in [0, 1) from the hash of the inputs.</summary>
    public static double Unit(params ReadOnlySpan<long> parts) => (Hash(parts) >> 11) * (1.0 / (1UL << 53));

    public static bool Chance(this Random rng, double p) => rng.NextDouble() < p;

    public static T Pick<T>(this Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    /// <summary>Picks an index with probability proportional to its weight.</summary>
    public static int PickWeighted(this Random rng, IReadOnlyList<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights) total += w;
        var x = rng.NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            x -= weights[i];
            if (x < 0) return i;
        }
        return weights.Count - 1;
    }

    /// <summary>Standard normal draw (Box–Muller).</summary>
    public static double Normal(this Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    // Surnames repeated roughly by frequency (王李张刘陈 are about a third of the population).
    private const string Surnames =
        "王王王王李李李李张张张张刘刘刘陈陈陈杨杨黄黄赵赵吴吴周周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
    private const string MaleChars = "浩宇轩子涵博文杰俊明思睿泽阳晨辰航鹏伟强磊鑫昊然一诚凯瑞嘉梓锦铭天佑志建国华军勇斌超峰涛晟毅";
    private const string FemaleChars = "欣怡梓涵雨婷思琪佳悦诗语雅静萱梦瑶若彤可馨妍慧琳丽娜敏霞芳艳秀玉晓雪婧蕾";

    public static string Name(Random rng, Gender gender)
    {
        var pool = gender == Gender.Male ? MaleChars : FemaleChars;
        var surname = Surnames[rng.Next(Surnames.Length)];
        return rng.NextDouble() < 0.8
            ? string.Concat(surname.ToString(), pool[rng.Next(pool.Length)].ToString(), pool[rng.Next(pool.Length)].ToString())
            : string.Concat(surname.ToString(), pool[rng.Next(pool.Length)].ToString());
    }

    public static readonly string[] Ethnicities = ["回族", "满族", "蒙古族", "壮族", "土家族"];
}
