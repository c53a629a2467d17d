using System.CommandLine;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Cli;

internal static class AdminCommands
{
    public static Command Create()
    {
        var group = new Command("admin", "账号管理");
        var db = new DbArgs();
        var user = new Option<string>("--user") { Description = "用户名", Required = true };
        var role = new Option<string>("--role") { Description = "角色：BureauAdmin/Department/Township/School/Inspector", DefaultValueFactory = _ => Roles.BureauAdmin };
        var unit = new Option<string?>("--unit") { Description = "所属单位：学校标识码、行政区划代码或名称；默认最上级单位" };
        // No --password option: a password on the command line ends up in shell history and process lists.
        var create = new Command("create", "创建账号（正式安装时用它创建第一个局管理员）；密码从环境变量 EDU_ADMIN_PASSWORD 或标准输入读入");
        db.AddTo(create);
        create.Options.Add(user);
        create.Options.Add(role);
        create.Options.Add(unit);
        create.SetAction(async (r, ct) =>
        {
            var options = db.Resolve(r);
            await Database.MigrateAsync(options, ct);
            await using var ctx = Database.OpenSystem(options, "edu admin");
            var userName = r.GetValue(user)!;
            var roleName = r.GetValue(role)!;
            var pw = ReadPassword();
            // Checked before anything is written (a fresh database would otherwise get its root unit for nothing).
            if (UserAccounts.CheckPassword(pw, userName.Trim()) is { } weak) throw new CliException(weak);
            var unitText = r.GetValue(unit);
            var unitId = await ResolveUnitAsync(ctx, unitText, ct);
            var kind = await ctx.OrgUnits.Where(u => u.Id == unitId).Select(u => u.Kind).FirstAsync(ct);
            if (Roles.All.Contains(roleName) && ManageUsers.RoleFits(roleName, kind) is { } misfit) throw new CliException(misfit);
            try
            {
                // The administrator chose this password: not flagged for change at first sign-in.
                var created = await UserAccounts.CreateAsync(ctx, userName, pw ?? "", roleName, unitId, ct: ct);
                Console.WriteLine($"已创建账号 {created.UserName}（{Roles.Label(created.Role)}）");
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message);
            }
            return 0;
        });
        group.Subcommands.Add(create);
        return group;
    }

    /// <summary>EDU_ADMIN_PASSWORD, else one line of standard input (typed without echo when a person is at the keyboard).</summary>
    internal static string? ReadPassword()
    {
        if (Environment.GetEnvironmentVariable("EDU_ADMIN_PASSWORD") is { Length: > 0 } fromEnv) return fromEnv;
        if (Console.IsInputRedirected) return Console.ReadLine();
        Console.Error.Write("请输入密码（输入时不显示）：");
        var sb = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (sb.Length > 0) sb.Length--; continue; }
            if (!char.IsControl(key.KeyChar)) sb.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return sb.ToString();
    }

    private static async Task<int> ResolveUnitAsync(EduDbContext ctx, string? text, CancellationToken ct)
    {
        if (text is null) return await Core.Organization.OrgRules.EnsureRootAsync(ctx, Core.Organization.OrgRules.PlaceholderRootName, ct);
        var match = await ctx.OrgUnits.Where(u => u.Code == text || u.Name == text).Select(u => (int?)u.Id).FirstOrDefaultAsync(ct);
        return match ?? throw new CliException($"找不到单位“{text}”（可用学校标识码、行政区划代码或名称）");
    }
}
