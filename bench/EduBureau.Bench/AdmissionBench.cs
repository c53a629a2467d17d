using EduBureau.Demo.Admission;
using System.CommandLine;
using System.Diagnostics;
using EduBureau.Cli;
using EduBureau.Core.Admission;
using EduBureau.TestSupport;

namespace EduBureau.Bench;

/// <summary><c>admission</c>: the engine and the reference implementation on the same synthetic inputs.</summary>
internal static class AdmissionBench
{
    public static Command Create()
    {
        var sizes = new Option<string>("--sizes") { Description = "考生人数，逗号分隔", DefaultValueFactory = _ => "10000,100000,200000,1000000" };
        var schools = new Option<int>("--schools") { DefaultValueFactory = _ => 60, Description = "高中数" };
        var preferences = new Option<int>("--preferences") { DefaultValueFactory = _ => 10, Description = "志愿数" };
        var repeat = new Option<int>("--repeat") { DefaultValueFactory = _ => 3, Description = "引擎重复次数（取最快）" };
        var admission = new Command("admission", "中考录取性能：耗时、内存，并与直接实现对比结果") { sizes, schools, preferences, repeat };
        admission.SetAction(r =>
        {
            var list = r.GetValue(sizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(x => int.TryParse(x, out var v) && v > 0 ? v : throw new CliException($"--sizes 中“{x}”不是正整数")).ToList();
            var config = new AdmissionConfig();
            // Warm-up so JIT is not measured.
            AdmissionEngine.Run(SyntheticCohort.Generate(2000, r.GetValue(schools), r.GetValue(preferences), seed: 99), config);
            ReferenceAdmission.Run(SyntheticCohort.Generate(2000, r.GetValue(schools), r.GetValue(preferences), seed: 99), config);
            Console.WriteLine($"{Environment.ProcessorCount} 核，.NET {Environment.Version}；每名考生 {r.GetValue(preferences)} 个志愿，{r.GetValue(schools)} 所高中；指标生 40%，按初中学校，降分 20，先统招");
            Console.WriteLine($"{"考生",10}{"引擎(ms)",12}{"引擎分配(MB)",14}{"直接实现(ms)",14}{"直接分配(MB)",14}{"倍数",8}{"峰值内存(MB)",14}  结果一致");
            foreach (var n in list)
            {
                var input = SyntheticCohort.Generate(n, r.GetValue(schools), r.GetValue(preferences), seed: 2026);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var best = double.MaxValue;
                long alloc = 0;
                AdmissionResult? result = null;
                for (var k = 0; k < Math.Max(1, n >= 1_000_000 ? 1 : r.GetValue(repeat)); k++)
                {
                    result = null;
                    GC.Collect();
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    var sw = Stopwatch.StartNew();
                    result = AdmissionEngine.Run(input, config);
                    sw.Stop();
                    alloc = GC.GetAllocatedBytesForCurrentThread() - before;
                    best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
                }
                var fast = result!.ToJson();
                result = null;
                GC.Collect();
                var rBefore = GC.GetAllocatedBytesForCurrentThread();
                var rsw = Stopwatch.StartNew();
                var slow = ReferenceAdmission.Run(input, config);
                rsw.Stop();
                var rAlloc = GC.GetAllocatedBytesForCurrentThread() - rBefore;
                var agree = fast.Admitted.SequenceEqual(slow.Admitted) && fast.Unadmitted.SequenceEqual(slow.Unadmitted) && fast.Cutoffs.SequenceEqual(slow.Cutoffs);
                var peak = Process.GetCurrentProcess().PeakWorkingSet64;
                Console.WriteLine($"{n,10}{best,12:F1}{alloc / 1048576.0,14:F1}{rsw.Elapsed.TotalMilliseconds,14:F1}{rAlloc / 1048576.0,14:F1}{rsw.Elapsed.TotalMilliseconds / best,8:F1}{peak / 1048576.0,14:F0}  {(agree ? "是" : "否")}");
                if (!agree) throw new CliException($"{n} 人时引擎与直接实现结果不一致");
            }
            return 0;
        });
        return admission;
    }
}
