using System.Linq.Expressions;
using System.Text.Json;
using EduBureau.Core.Audit;
using EduBureau.Core.Jobs;
using EduBureau.Core.Organization;
using EduBureau.Core.Population;
using EduBureau.Core.Schools;
using EduBureau.Core.Security;
using EduBureau.Core.Staff;
using EduBureau.Core.Students;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace EduBureau.Core.Data;

/// <summary>
/// The one database context. Every query is filtered to <see cref="Scope"/> and every save is checked
/// against it and audited here, so no page or endpoint has to remember to.
/// </summary>
public class EduDbContext(DbContextOptions<EduDbContext> options, IUserScopeSource scope, TimeProvider clock)
    : IdentityDbContext<AppUser>(options)
{
    public UserScope Scope => scope.Current;
    public TimeProvider Clock => clock;

    // Query filters read these; EF parameterises context members per instance.
    public bool Unrestricted => Scope.IsUnrestricted;
    public string ScopePath => Scope.PathPrefix ?? "/";

    public DbSet<OrgUnit> OrgUnits => Set<OrgUnit>();
    public DbSet<School> Schools => Set<School>();
    public DbSet<SchoolGroup> SchoolGroups => Set<SchoolGroup>();
    public DbSet<SchoolGroupMember> SchoolGroupMembers => Set<SchoolGroupMember>();
    public DbSet<SchoolYear> SchoolYears => Set<SchoolYear>();
    public DbSet<Student> Students => Set<Student>();
    public DbSet<Enrollment> Enrollments => Set<Enrollment>();
    public DbSet<ClassRoom> Classes => Set<ClassRoom>();
    public DbSet<StatusEvent> StatusEvents => Set<StatusEvent>();
    public DbSet<StaffMember> StaffMembers => Set<StaffMember>();
    public DbSet<StaffAssignment> StaffAssignments => Set<StaffAssignment>();
    public DbSet<TeachingAssignment> TeachingAssignments => Set<TeachingAssignment>();
    public DbSet<SchoolCondition> SchoolConditions => Set<SchoolCondition>();
    public DbSet<HistoricalEnrollment> HistoricalEnrollments => Set<HistoricalEnrollment>();
    public DbSet<PopulationCount> Population => Set<PopulationCount>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<Job> Jobs => Set<Job>();

    /// <summary>The name of the pupil and staff visibility filters.</summary>
    public const string PersonScope = "PersonScope";

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        b.ApplyConfigurationsFromAssembly(typeof(EduDbContext).Assembly);

        b.Entity<OrgUnit>().HasQueryFilter(u => Unrestricted || u.Path.StartsWith(ScopePath));
        b.Entity<School>().HasQueryFilter(s => Unrestricted || s.Path.StartsWith(ScopePath));
        b.Entity<PopulationCount>().HasQueryFilter(p => Unrestricted || p.Township.Path.StartsWith(ScopePath));
        // A job is seen by its submitting unit and every unit above it (by the unit path copied at submit).
        b.Entity<Job>().HasQueryFilter(j => Unrestricted || j.UnitPath.StartsWith(ScopePath));
        // A round's lines and a unit's notices: the unit and every unit above it. (Steps and findings are reached only
        // through their submission.)
        b.Entity<Collection.Submission>().HasQueryFilter(s => Unrestricted || s.UnitPath.StartsWith(ScopePath));
        b.Entity<Collection.Notice>().HasQueryFilter(n => Unrestricted || n.UnitPath.StartsWith(ScopePath));
        // A pupil is visible to a unit that has (or had) the pupil enrolled; likewise staff.
        // Named, so a roster query that reaches people only through already-scoped enrollments/assignments can skip this
        // (costly) re-check: ScopeBypass.WithoutPersonRecheck leaves every other filter in place.
        b.Entity<Student>().HasQueryFilter(PersonScope, s => Unrestricted || s.Enrollments.Any(e => e.School.Path.StartsWith(ScopePath)));
        b.Entity<StaffMember>().HasQueryFilter(PersonScope, s => Unrestricted || s.Assignments.Any(a => a.School.Path.StartsWith(ScopePath)));
        ApplyMarkerScopes(b);
    }

    /// <summary>Filters every <see cref="ISchoolScoped"/> and <see cref="IStudentScoped"/> entity, whatever feature defines it.</summary>
    private void ApplyMarkerScopes(ModelBuilder b)
    {
        var self = Expression.Constant(this);
        var unrestricted = Expression.Property(self, nameof(Unrestricted));
        var scopePath = Expression.Property(self, nameof(ScopePath));
        var startsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;
        Expression<Func<Student, bool>> studentVisible = s => s.Enrollments.Any(e => e.School.Path.StartsWith(ScopePath));

        foreach (var entity in b.Model.GetEntityTypes().Where(t => !t.IsOwned() && t.BaseType is null).ToList())
        {
            var clr = entity.ClrType;
            var x = Expression.Parameter(clr, "x");
            Expression? visible = null;
            if (typeof(ISchoolScoped).IsAssignableFrom(clr))
                visible = Expression.Call(Expression.Property(Expression.Property(x, "School"), nameof(School.Path)), startsWith, scopePath);
            else if (typeof(IStudentScoped).IsAssignableFrom(clr))
                visible = new ReplaceParameter(studentVisible.Parameters[0], Expression.Property(x, "Student")).Visit(studentVisible.Body);
            if (visible is null) continue;
            b.Entity(clr).HasQueryFilter(Expression.Lambda(Expression.OrElse(unrestricted, visible), x));
        }
    }

    private sealed class ReplaceParameter(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        ChangeTracker.DetectChanges();
        await AddMissingSchoolYearsAsync(cancellationToken);
        var changed = ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && e.Entity is not AuditEntry)
            .ToList();
        // Stored figures (ADR 0012) are results, not data: written by the system, never audited or scope-checked.
        if (changed.Count > 0 && changed.All(e => e.Entity is Figures.StoredFigure)) changed.Clear();
        if (changed.Count == 0) return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);

        await CountyKeys.FillAsync(this, changed, cancellationToken);
        await EnforceScopeAsync(Admission.AdmissionRuns.CheckWrites(changed, Scope), cancellationToken);
        // 已锁定 data refuses every writer, the CLI and jobs included (#17).
        await Collection.DataLocks.CheckAsync(this, changed, cancellationToken);
        foreach (var entry in changed)
            if (entry.State == EntityState.Modified && entry.Metadata.FindProperty("Version") is { } version)
                entry.Property(version.Name).CurrentValue = (int)entry.Property(version.Name).OriginalValue! + 1;

        // Modified and deleted rows are described before the save (their original values are gone after it); added rows
        // after it, when store-generated keys and foreign keys to other added rows are real, not EF's temporary values.
        var audits = changed.Select(e => (Entry: e, State: e.State, SignIn: IsSignInBookkeeping(e),
            Changes: e.State == EntityState.Added ? null : DescribeChanges(e, e.State))).ToList();
        var count = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (entry, state, signIn, before) in audits)
        {
            AuditLog.Add(new AuditEntry
            {
                At = now,
                // A sign-in's bookkeeping (last sign-in, stamps) is the user signing in, not an anonymous edit of the account.
                UserName = signIn ? ((AppUser)entry.Entity).UserName ?? Scope.Actor : Scope.Actor,
                Action = signIn ? SignInAction : state switch { EntityState.Added => "新增", EntityState.Deleted => "删除", _ => "修改" },
                Entity = entry.Metadata.ClrType.Name,
                EntityKey = KeyOf(entry),
                Changes = signIn ? null : before ?? DescribeChanges(entry, state),
                OrgUnitId = entry.Entity switch
                {
                    ISchoolScoped x => x.SchoolId, StatusEvent x => x.SchoolId, OrgUnit u => u.Id, School s => s.Id, AppUser u => u.OrgUnitId, _ => null,
                },
            });
        }
        await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        return count;
    }

    /// <summary>
    /// Every year that added or modified school-year rows (<see cref="ISchoolYearData"/>) write to gets its
    /// <see cref="SchoolYear"/> row in this same save, so both commit (or fail) together.
    /// </summary>
    private async Task AddMissingSchoolYearsAsync(CancellationToken ct)
    {
        var years = ChangeTracker.Entries<ISchoolYearData>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified)
            .Select(e => e.Entity.Year).ToHashSet();
        if (years.Count == 0) return;
        years.ExceptWith(ChangeTracker.Entries<SchoolYear>().Select(e => e.Entity.Year));
        if (years.Count == 0) return;
        var list = years.ToList();
        years.ExceptWith(await SchoolYears.AsNoTracking().Where(y => list.Contains(y.Year)).Select(y => y.Year).ToListAsync(ct));
        // A year later than every open one is a new school year: only roles that may open one write it.
        if (await Years.NewYearRule.RefusalAsync(this, years, ct) is { } refused) throw new ScopeViolationException(refused);
        foreach (var year in years.Order()) SchoolYears.Add(SchoolYear.For(year));
    }

    /// <summary>Writes one audit line for an action that is not an entity change (an import, a sensitive view).</summary>
    public async Task AuditAsync(string action, string entity, string? key, string? details, int? orgUnitId, CancellationToken ct = default)
    {
        AddAudit(action, entity, key, details, orgUnitId);
        await base.SaveChangesAsync(true, ct);
    }

    /// <summary>Adds one audit line to the next save, so it commits (or fails) with the change it describes.</summary>
    public void AddAudit(string action, string entity, string? key, string? details, int? orgUnitId) =>
        AuditLog.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime, UserName = Scope.Actor, Action = action, Entity = entity,
            EntityKey = key, Changes = details, OrgUnitId = orgUnitId,
        });

    public const string SignInAction = "登录";
    public const string SignInFailedAction = "登录失败";

    /// <summary>
    /// One 登录失败 line per refused password (#15), under the account's name. A name that is no account is not
    /// recorded as typed (it may be a password typed into the wrong field).
    /// </summary>
    public Task AuditSignInFailureAsync(AppUser? user, CancellationToken ct = default)
    {
        AuditLog.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime, UserName = user?.UserName ?? "（不存在的账号）", Action = SignInFailedAction,
            Entity = nameof(AppUser), EntityKey = user?.Id, OrgUnitId = user?.OrgUnitId,
        });
        return base.SaveChangesAsync(true, ct);
    }

    /// <summary>
    /// A sign-in (by an anonymous request, or the user just signed in: Identity sets the request's user) changing only
    /// the account's sign-in bookkeeping, the last sign-in time or failure count among it (a password change is no sign-in).
    /// </summary>
    private bool IsSignInBookkeeping(EntityEntry e)
    {
        if (e.Entity is not AppUser user || e.State != EntityState.Modified) return false;
        if (Scope.Role.Length > 0 && !string.Equals(Scope.Actor, user.UserName, StringComparison.OrdinalIgnoreCase)) return false;
        var names = ModifiedNames(e).ToList();
        return names.All(SignInFields.Contains) && names.Any(n => n is nameof(AppUser.LastLoginUtc) or nameof(AppUser.AccessFailedCount) or nameof(AppUser.LockoutEnd));
    }

    private async Task EnforceScopeAsync(List<EntityEntry> changed, CancellationToken ct)
    {
        if (Scope.IsUnrestricted) return;
        // Sign-in bookkeeping (failed attempts, lockout, stamps, last sign-in) is written for anonymous callers too,
        // and every user, read-only roles included, may change their own password (and so clear MustChangePassword).
        changed = changed.Where(e => !(e.Entity is AppUser user && e.State == EntityState.Modified
            && ModifiedNames(e).All(n => SignInFields.Contains(n) || (OwnPasswordFields.Contains(n) && IsOwnRow(e, user))))).ToList();
        if (changed.Count == 0) return;
        if (!Scope.CanWrite)
        {
            // A 科室 reports progress on the measures it is responsible for: the one write of a read-only role.
            if (await Plans.PlanProgress.CheckWritesAsync(this, changed, ct)) return;
            throw new ScopeViolationException("当前角色为只读，不能修改数据");
        }
        Collection.CollectionWrites.Check(this, changed, Scope);
        // Measures and progress reports: their owner or the plan's editor (Plans/PlanProgress).
        await Plans.PlanProgress.CheckWritesAsync(this, changed, ct);
        var schoolIds = changed.Select(e => e.Entity switch
        {
            ISchoolScoped x => x.SchoolId, StatusEvent x => x.SchoolId, School x => x.Id, _ => 0,
        }).Where(id => id != 0).Distinct().ToList();
        // County-wide and tracked: a school the save moves is checked where it goes (its tracked path), not where it was.
        var paths = await Schools.CountyWideForWrite().Where(s => schoolIds.Contains(s.Id))
            .ToDictionaryAsync(s => s.Id, s => s.Path, ct);
        foreach (var id in schoolIds)
            if (!paths.TryGetValue(id, out var path) || !Scope.Covers(path))
                throw new ScopeViolationException("无权修改本单位范围以外学校的数据");
        foreach (var e in changed)
        {
            if (e.Entity is OrgUnit u && !Scope.Covers(u.Path))
                throw new ScopeViolationException("无权修改本单位范围以外的组织机构");
            if (e.Entity is AppUser && Scope.Role != Security.Roles.BureauAdmin)
                throw new ScopeViolationException("只有局管理员可以管理账号");
            if (e.Entity is TownshipMap && Scope.Role != Security.Roles.BureauAdmin)
                throw new ScopeViolationException("只有局管理员可以上传乡镇边界");
        }
        // A pupil's or staff member's own record: their current school (or, on a transfer in this save, the receiving one).
        await PersonWriteScope.CheckAsync(this, changed, ct);
        // A bureau admin manages the accounts of units within the admin's scope only (before and after the change).
        var userUnits = changed.Where(e => e.Entity is AppUser)
            .SelectMany(e => e.State == EntityState.Added ? [((AppUser)e.Entity).OrgUnitId]
                : new[] { ((AppUser)e.Entity).OrgUnitId, (int)e.Property(nameof(AppUser.OrgUnitId)).OriginalValue! })
            .Distinct().ToList();
        if (userUnits.Count == 0) return;
        var unitPaths = await OrgUnits.CountyWideForWrite().Where(o => userUnits.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Path, ct);
        foreach (var id in userUnits)
            if (!unitPaths.TryGetValue(id, out var path) || !Scope.Covers(path))
                throw new ScopeViolationException("无权管理本单位范围以外的账号");
    }

    private static IEnumerable<string> ModifiedNames(EntityEntry e) =>
        e.Properties.Where(p => p.IsModified && !Equals(p.OriginalValue, p.CurrentValue)).Select(p => p.Metadata.Name);

    /// <summary>The signed-in user's own account, by user name as it was loaded (a rename cannot make a row one's own).</summary>
    private bool IsOwnRow(EntityEntry e, AppUser user) =>
        Scope.Role.Length > 0 && !string.IsNullOrEmpty(user.UserName) && user.UserName == (string?)e.Property(nameof(AppUser.UserName)).OriginalValue
        && string.Equals(Scope.Actor, user.UserName, StringComparison.OrdinalIgnoreCase);

    private static readonly HashSet<string> SignInFields =
        ["AccessFailedCount", "LockoutEnd", "SecurityStamp", "ConcurrencyStamp", "PasswordHash", "NormalizedUserName", "LastLoginUtc"];

    /// <summary>What a user may change on their own row: the password and what changing it resets.</summary>
    private static readonly HashSet<string> OwnPasswordFields = ["PasswordHash", "SecurityStamp", "ConcurrencyStamp", "MustChangePassword"];

    private static readonly HashSet<string> Secret = ["PasswordHash", "SecurityStamp", "ConcurrencyStamp"];

    /// <summary>The changed properties as JSON; <paramref name="state"/> is the entry's state before the save.</summary>
    private static string DescribeChanges(EntityEntry e, EntityState state)
    {
        var diff = new SortedDictionary<string, object?[]>(StringComparer.Ordinal);
        foreach (var p in e.Properties)
        {
            if (p.Metadata.IsShadowProperty()) continue;
            var oldValue = state == EntityState.Added ? null : p.OriginalValue;
            var newValue = state == EntityState.Deleted ? null : p.CurrentValue;
            if (state == EntityState.Modified && Equals(oldValue, newValue)) continue;
            if (state == EntityState.Added && newValue is null) continue;
            if (Secret.Contains(p.Metadata.Name)) { diff[p.Metadata.Name] = ["***", "***"]; continue; }
            // A boundary file is megabytes of coordinates: its size is recorded, not its text (file name and features are).
            if (e.Entity is TownshipMap && p.Metadata.Name == nameof(TownshipMap.GeoJson))
            { diff[p.Metadata.Name] = [oldValue is string o ? $"{o.Length:N0} 字符" : null, newValue is string n ? $"{n.Length:N0} 字符" : null]; continue; }
            diff[p.Metadata.Name] = [Display(oldValue), Display(newValue)];
        }
        return JsonSerializer.Serialize(diff, AuditJson);
    }

    /// <summary>A value as the audit log shows it (also for the per-record lines of imports, <c>Imports/ImportAudit</c>).</summary>
    internal static object? Display(object? v) => v switch
    {
        // Each feature's enums carry their own labels (a case's 劝返中, a task's 进行中), not only Common.Labels'.
        Plans.PlanTaskStatus x => Plans.PlanLabels.Zh(x),
        Dropout.CaseStatus x => Dropout.DropoutLabels.Zh(x),
        Dropout.CaseClosing x => Dropout.DropoutLabels.Zh(x),
        Dropout.CaseSource x => Dropout.DropoutLabels.Zh(x),
        Dropout.PersuasionStep x => Dropout.DropoutLabels.Zh(x),
        Dropout.DropoutReasonCategory x => Dropout.DropoutLabels.Zh(x),
        Dropout.SuspectReason x => Dropout.DropoutLabels.Zh(x),
        Aid.AidCategory x => Aid.AidLabels.Zh(x),
        Aid.AidLevel x => Aid.AidLabels.Zh(x),
        Exams.ScoreFlag x => Exams.ScoreFlags.Zh(x),
        Enum en => Common.Labels.Zh(en),
        DateOnly d => d.ToString("yyyy-MM-dd"),
        byte[] bytes => $"{bytes.Length} 字节", // stored files and packed results: the size, not the content
        _ => v,
    };

    internal static readonly JsonSerializerOptions AuditJson = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static string? KeyOf(EntityEntry e) =>
        e.Metadata.FindPrimaryKey() is { } pk ? string.Join(",", pk.Properties.Select(p => e.Property(p.Name).CurrentValue)) : null;
}
