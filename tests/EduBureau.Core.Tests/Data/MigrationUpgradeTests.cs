using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EduBureau.Core.Tests.Data;

/// <summary>
/// Real installations upgrade in place: a database built by the first released migration and filled with data is
/// migrated to the latest one with its data intact, and the migrations describe the current model exactly (so a
/// model change without its migration fails here, not at a bureau).
/// </summary>
public class MigrationUpgradeTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Migrate_DatabaseAtFirstRelease_UpgradesInPlaceKeepingData(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider, migrate: false);
        string[] all;
        await using (var db = test.Open())
        {
            all = db.Database.GetMigrations().ToArray();
            Assert.True(all.Length >= 2, "expected the released Initial migration and at least one after it");
            Assert.EndsWith("_Initial", all[0], StringComparison.Ordinal);
            await db.GetService<IMigrator>().MigrateAsync(all[0]);

            // Rows written with the first release's columns only, as a real bureau's database holds them.
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "OrgUnits" ("Id", "ParentId", "Kind", "Name", "Code", "Path", "Depth") VALUES (1, NULL, 2, '老县', '450102', '/1/', 0);
                INSERT INTO "OrgUnits" ("Id", "ParentId", "Kind", "Name", "Code", "Path", "Depth") VALUES (2, 1, 3, '城关镇', '450102001', '/1/2/', 1);
                INSERT INTO "AspNetUsers" ("Id", "DisplayName", "OrgUnitId", "Role", "UserName", "NormalizedUserName", "EmailConfirmed",
                    "PasswordHash", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount")
                VALUES ('u1', '管理员', 1, 'BureauAdmin', 'admin', 'ADMIN', FALSE, 'hash', FALSE, FALSE, TRUE, 0);
                INSERT INTO "SchoolYears" ("Year", "CountDate") VALUES (2024, '2024-09-01');
                """);
        }

        await using (var db = test.Open())
        {
            Assert.Equal(all.Skip(1), await db.Database.GetPendingMigrationsAsync());
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }

        await using (var db = test.Open())
        {
            var units = await db.OrgUnits.OrderBy(u => u.Id).ToListAsync();
            Assert.Equal(["老县", "城关镇"], units.Select(u => u.Name));
            Assert.All(units, u => Assert.Null(u.ClosedOn));
            Assert.Equal("/1/2/", units[1].Path);
            var user = await db.Users.SingleAsync();
            Assert.Equal(("admin", "BureauAdmin", 1, "hash"), (user.UserName, user.Role, user.OrgUnitId, user.PasswordHash));
            Assert.False(user.MustChangePassword); // an existing account is not forced to change its password by the upgrade
            Assert.False(user.Disabled);
            Assert.Equal(2024, (await db.SchoolYears.SingleAsync()).Year);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Migrate_CountyKeys_BackFillsTheKeyFromEachRowsSchool(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider, migrate: false);
        await using (var db = test.Open())
        {
            var all = db.Database.GetMigrations().ToList();
            var before = all[all.FindIndex(m => m.EndsWith("_CountyKeys", StringComparison.Ordinal)) - 1];
            await db.GetService<IMigrator>().MigrateAsync(before);
            // Two counties, a school in each, a class and a group membership of each school, as the release before holds them.
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "OrgUnits" ("Id", "ParentId", "Kind", "Name", "Code", "Path", "Depth") VALUES (1, NULL, 2, '甲县', '450102', '/1/', 0);
                INSERT INTO "OrgUnits" ("Id", "ParentId", "Kind", "Name", "Code", "Path", "Depth") VALUES (2, NULL, 2, '乙县', '450103', '/2/', 0);
                INSERT INTO "OrgUnits" ("Id", "ParentId", "Kind", "Name", "Code", "Path", "Depth") VALUES (3, 1, 3, '甲镇', '450102001', '/1/3/', 1);
                INSERT INTO "OrgUnits" ("Id", "ParentId", "Kind", "Name", "Code", "Path", "Depth") VALUES (4, 2, 3, '乙镇', '450103001', '/2/4/', 1);
                INSERT INTO "OrgUnits" ("Id", "ParentId", "Kind", "Name", "Code", "Path", "Depth") VALUES (5, 3, 4, '甲小', '4501020001', '/1/3/5/', 2);
                INSERT INTO "OrgUnits" ("Id", "ParentId", "Kind", "Name", "Code", "Path", "Depth") VALUES (6, 4, 4, '乙小', '4501030001', '/2/4/6/', 2);
                INSERT INTO "Schools" ("Id", "Code", "Name", "Level", "Ownership", "Inclusive", "UrbanRural", "Boarding", "TownshipId", "CountyId", "Path")
                    VALUES (5, '4501020001', '甲小', 1, 0, FALSE, 0, FALSE, 3, 1, '/1/3/5/');
                INSERT INTO "Schools" ("Id", "Code", "Name", "Level", "Ownership", "Inclusive", "UrbanRural", "Boarding", "TownshipId", "CountyId", "Path")
                    VALUES (6, '4501030001', '乙小', 1, 0, FALSE, 0, FALSE, 4, 2, '/2/4/6/');
                INSERT INTO "SchoolYears" ("Year", "CountDate") VALUES (2024, '2024-09-01');
                INSERT INTO "Classes" ("SchoolId", "Year", "Grade", "Name") VALUES (5, 2024, 1, '一(1)班');
                INSERT INTO "Classes" ("SchoolId", "Year", "Grade", "Name") VALUES (6, 2024, 1, '一(1)班');
                INSERT INTO "SchoolGroups" ("Id", "Name", "Kind", "OrgUnitId") VALUES (1, '学区', 0, 1);
                INSERT INTO "SchoolGroupMembers" ("GroupId", "SchoolId") VALUES (1, 5);
                INSERT INTO "SchoolGroupMembers" ("GroupId", "SchoolId") VALUES (1, 6);
                """);
            await db.Database.MigrateAsync();
        }
        await using (var db = test.Open())
        {
            Assert.Equal([(5, 1), (6, 2)], (await db.Classes.OrderBy(c => c.SchoolId).Select(c => new { c.SchoolId, c.CountyId }).ToListAsync())
                .Select(c => (c.SchoolId, c.CountyId)));
            Assert.Equal([(5, 1), (6, 2)], (await db.SchoolGroupMembers.OrderBy(c => c.SchoolId).Select(c => new { c.SchoolId, c.CountyId }).ToListAsync())
                .Select(c => (c.SchoolId, c.CountyId)));
            Assert.Empty(await EduBureau.Core.Data.CountyKeys.MismatchesAsync(db));
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Migrations_DescribeCurrentModel_NoPendingChanges(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider, migrate: false);
        await using var db = test.Open();

        Assert.False(db.Database.HasPendingModelChanges(), "the model changed without a migration: run scripts/add-migration.sh NAME");
    }
}
