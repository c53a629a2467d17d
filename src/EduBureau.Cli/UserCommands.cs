using System.CommandLine;
using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Cli;

/// <summary>
/// <c>edu users list | create-for-units | reset-password</c>: the account use cases of the 用户管理 page
/// (<see cref="ManageUsers"/>) for the server's operator. No command takes a password as an argument; generated
/// passwords are printed once (reset) or written once to the .xlsx (bulk), never stored in clear.
/// </summary>
internal static class UserCommands
{
    public static Command Create()
    {
        var group = new Command("users", "用户账号：列表、为学校或乡镇批量创建账号、重置密码");
        group.Subcommands.Add(List());
        group.Subcommands.Add(CreateForUnits());
        group.Subcommands.Add(ResetPassword());
        group.Subcommands.Add(Unlock());
        return group;
    }

    private static Command List()
    {
        var db = new DbArgs();
        var format = new Option<string>("--format") { Description = "输出格式：table 或 json", DefaultValueFactory = _ => "table" };
        var cmd = new Command("list", "列出全部账号（用户名、姓名、角色、单位、最近登录、状态）");
        db.AddTo(cmd);
        cmd.Options.Add(format);
        cmd.SetAction(async (r, ct) =>
        {
            await using var ctx = Database.OpenSystem(db.Resolve(r), "edu users");
            var now = ctx.Clock.GetUtcNow();
            var rows = await ManageUsers.List(ctx).OrderBy(u => u.UnitPath).ThenBy(u => u.UserName).ToListAsync(ct);
            if (r.GetValue(format) == "json")
            {
                Output.WriteJson(rows.Select(u => new
                {
                    userName = u.UserName, displayName = u.DisplayName, role = u.Role, unit = u.UnitName,
                    lastLoginUtc = u.LastLoginUtc, status = u.Status(now),
                }));
                return 0;
            }
            Console.WriteLine("用户名\t姓名\t角色\t单位\t最近登录（UTC）\t状态");
            foreach (var u in rows)
                Console.WriteLine(string.Join('\t', u.UserName, u.DisplayName ?? "", Roles.Label(u.Role), u.UnitName,
                    u.LastLoginUtc?.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) ?? "从未登录", u.Status(now)));
            Console.Error.WriteLine($"共 {rows.Count} 个账号");
            return 0;
        });
        return cmd;
    }

    private static Command CreateForUnits()
    {
        var db = new DbArgs();
        var kind = new Option<string>("--kind") { Description = "school（学校）或 township（乡镇）", Required = true };
        var output = new Option<string>("--out") { Description = "写出账号和初始密码的 .xlsx 文件", Required = true };
        var cmd = new Command("create-for-units", "为尚无账号的学校（或乡镇）批量创建账号，初始密码写入 .xlsx（首次登录须修改）");
        db.AddTo(cmd);
        cmd.Options.Add(kind);
        cmd.Options.Add(output);
        cmd.SetAction(async (r, ct) =>
        {
            var unitKind = r.GetValue(kind)?.Trim().ToLowerInvariant() switch
            {
                "school" or "学校" => OrgUnitKind.School,
                "township" or "乡镇" => OrgUnitKind.Township,
                var other => throw new CliException($"--kind 应为 school 或 township，而不是“{other}”"),
            };
            var path = Path.GetFullPath(r.GetValue(output)!);
            if (Path.GetDirectoryName(path) is { } dir && !Directory.Exists(dir)) throw new CliException($"输出目录不存在：{dir}");
            await using var ctx = Database.OpenSystem(db.Resolve(r), "edu users");
            // The file is opened before any account is written, so the passwords cannot be lost to an unwritable path.
            IReadOnlyList<IssuedAccount> accounts;
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
            {
                accounts = await ManageUsers.CreateForUnitsAsync(ctx, unitKind, ct);
                ManageUsers.WriteSheet(file, accounts);
            }
            var label = unitKind == OrgUnitKind.School ? "学校" : "乡镇";
            if (accounts.Count == 0)
            {
                File.Delete(path);
                Console.WriteLine($"没有需要创建账号的{label}：每个未撤销的{label}都已有账号。");
                return 0;
            }
            Console.WriteLine($"已为 {accounts.Count} 个{label}创建账号，用户名和初始密码已写入 {path}（请妥善保管并分发；首次登录须修改密码）");
            return 0;
        });
        return cmd;
    }

    private static Command ResetPassword()
    {
        var user = new Option<string>("--user") { Description = "用户名", Required = true };
        var cmd = new Command("reset-password", "重置账号密码：生成新的初始密码并显示一次，下次登录须修改");
        cmd.Options.Add(user);
        return OnOneAccount(cmd, r => r.GetValue(user)!, async (ctx, id, _, ct) =>
        {
            var result = await ManageUsers.ResetPasswordAsync(ctx, id, ct);
            if (!result.Succeeded || result.Value is not { } account) throw new CliException(result.Message ?? "重置失败");
            Console.WriteLine($"已重置 {account.UserName} 的密码。新的初始密码（只显示这一次，下次登录须修改）：");
            Console.WriteLine(account.Password);
        });
    }

    /// <summary><c>edu users unlock NAME</c>: lifts the stored lockout (the web's per-address lockouts end by themselves after Lockout:Minutes).</summary>
    private static Command Unlock()
    {
        var name = new Argument<string>("NAME") { Description = "用户名" };
        var cmd = new Command("unlock", "解除账号锁定（登录失败次数过多）");
        cmd.Arguments.Add(name);
        return OnOneAccount(cmd, r => r.GetValue(name)!, async (ctx, id, userName, ct) =>
        {
            var result = await ManageUsers.UnlockAsync(ctx, id, ct);
            if (!result.Succeeded) throw new CliException(result.Message ?? "解锁失败");
            Console.WriteLine($"已解锁 {userName}");
        });
    }

    /// <summary>A command on one existing account: <c>--db</c>, the operator's scope, the account found by user name (case-insensitive).</summary>
    private static Command OnOneAccount(Command cmd, Func<ParseResult, string> userName, Func<EduDbContext, string, string, CancellationToken, Task> action)
    {
        var db = new DbArgs();
        db.AddTo(cmd);
        cmd.SetAction(async (r, ct) =>
        {
            await using var ctx = Database.OpenSystem(db.Resolve(r), "edu users");
            var name = userName(r).Trim();
            var normalized = name.ToUpperInvariant();
            var id = await ctx.Users.Where(u => u.NormalizedUserName == normalized).Select(u => u.Id).FirstOrDefaultAsync(ct)
                ?? throw new CliException($"找不到用户“{name}”");
            await action(ctx, id, name, ct);
            return 0;
        });
        return cmd;
    }
}
