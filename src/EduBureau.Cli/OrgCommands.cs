using System.CommandLine;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;

namespace EduBureau.Cli;

/// <summary><c>edu org map import FILE</c>: the county's township boundaries (GeoJSON), checked like the /Org/Map upload.</summary>
internal static class OrgCommands
{
    public static Command Create()
    {
        var cmd = new Command("org", "组织机构");
        var map = new Command("map", "乡镇边界地图");
        map.Subcommands.Add(Import());
        cmd.Subcommands.Add(map);
        return cmd;
    }

    private static Command Import()
    {
        var db = new DbArgs();
        var file = new Argument<string>("FILE") { Description = "乡镇边界 GeoJSON 文件（FeatureCollection，每个乡镇一个要素）" };
        var county = new Option<string?>("--county") { Description = "县（区）名称或行政区划代码；库中只有一个县时可省略" };
        var cmd = new Command("import", "导入（替换）本县乡镇边界；有任何错误则不保存");
        db.AddTo(cmd);
        cmd.Arguments.Add(file);
        cmd.Options.Add(county);
        cmd.SetAction(async (r, ct) =>
        {
            var path = r.GetValue(file)!;
            if (!File.Exists(path)) throw new CliException($"找不到文件：{path}");
            await using var ctx = Database.OpenSystem(db.Resolve(r), "cli");
            int? countyId = null;
            if (r.GetValue(county) is { } c)
                countyId = ctx.OrgUnits.Where(u => u.Kind == OrgUnitKind.County && (u.Name == c || u.Code == c)).Select(u => (int?)u.Id).FirstOrDefault()
                    ?? throw new CliException($"找不到县（区）“{c}”");
            await using var stream = File.OpenRead(path);
            var result = await TownshipMaps.ImportAsync(ctx, Path.GetFileName(path), stream, new TownshipMapOptions().MaxBytes, ct, countyId);
            if (result.Value is not { } s)
            {
                foreach (var p in result.Problems()) Console.Error.WriteLine(p);
                return 1;
            }
            Console.WriteLine($"已导入乡镇边界“{s.FileName}”：{s.Features} 个乡镇");
            if (s.Missing.Count > 0) Console.WriteLine($"注意：{string.Join("、", s.Missing)} 没有边界");
            return 0;
        });
        return cmd;
    }
}
