using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Population;
using EduBureau.Core.Schools;
using EduBureau.Core.Staff;
using EduBureau.Core.Students;

namespace EduBureau.Demo;

/// <summary>Next free id per table, shared by all counties of one run.</summary>
internal sealed class DemoIds
{
    public int OrgUnit = 1, Group = 1, Class = 1;
    public long Student = 1, Enrollment = 1, Event = 1, Staff = 1, Assignment = 1, Condition = 1, History = 1, Population = 1;
}

/// <summary>A pupil's running state while the county is simulated; the Student row is written once, when created.</summary>
internal sealed class Pupil
{
    public long Id;
    public DateOnly Birth;
    public SchoolPlan School = null!;
    public Grade Grade;
    public EnrollmentStatus Status = EnrollmentStatus.InSchool;
    public TownshipPlan Home = null!;
    public DisabilityType Disability;
    public bool Poverty, Subsistence, Extreme, Orphan, LeftBehind, Migrant, HomeSchooling;
    public int? ClassId;
}

internal sealed class StaffState
{
    public required StaffMember Member { get; init; }
    public required SchoolPlan School { get; set; }
    public bool Gone { get; set; }
}

/// <summary>
/// One county: plans its townships and schools, simulates three school years of pupils and staff, and streams
/// the rows to the writer year by year. Everything comes from one <see cref="Random"/> seeded from the run's seed
/// and the county number, plus hash noise, so the same seed gives the same county.
/// </summary>
internal sealed class DemoCounty
{
    private static readonly string[] RuralTownships = ["东岗镇", "西河乡", "南湖镇", "北山乡", "石桥镇", "柳林乡", "青石镇", "白马乡", "长岭镇", "大营乡", "红旗镇"];
    private static readonly string[] Villages = ["王庄", "李家洼", "前屯", "后营", "杨树沟", "高庄", "河口", "马坊", "张堡", "枣林", "沙河", "孟村", "宋家店", "刘楼"];

    private readonly DemoSettings _settings;
    private readonly int _number;
    private readonly DemoIds _ids;
    private readonly Random _rng;
    private readonly string _area;
    private readonly string _name;
    private readonly int _firstYear;
    private readonly List<TownshipPlan> _townships = [];
    private readonly List<SchoolPlan> _schools = [];
    private readonly Dictionary<int, int> _idSequence = []; // birth day number → next ID sequence
    private readonly List<StaffState> _staff = [];
    private readonly List<StaffAssignment> _assignments = [];
    private readonly Dictionary<(int Township, int Age), int>[] _disabledInSchool = [[], [], []];
    private OrgUnit _county = null!;
    private int _studentNoSeq, _staffSeq;

    public long Students { get; private set; }
    public long Enrollments { get; private set; }
    public int SchoolCount => _schools.Count;
    public int StaffCount => _staff.Count;

    public DemoCounty(DemoSettings settings, int number, DemoIds ids)
    {
        _settings = settings;
        _number = number;
        _ids = ids;
        _rng = new Random(unchecked(settings.Seed * 7919 + number * 104729));
        _area = $"1399{number:00}";
        _name = settings.Scale > 1 ? $"演示县{number}" : "演示县";
        _firstYear = settings.FirstYear;
    }

    public async Task WriteAsync(BulkWriter writer, OrgUnit? city, IProgress<string>? progress, CancellationToken ct)
    {
        var units = PlanOrganisation(city);
        await writer.WriteAsync(units, ct);
        await writer.WriteAsync(_schools.Select(s => s.School), ct);
        var (groups, members) = PlanGroups();
        await writer.WriteAsync(groups, ct);
        await writer.WriteAsync(members, ct);
        progress?.Report($"{_name}：{_townships.Count} 个乡镇，{_schools.Count} 所学校");

        List<Pupil> active = [];
        List<(Pupil Pupil, Grade Grade, EnrollmentStatus Status, SchoolPlan School)> leavers = [];
        List<Pupil> dropped = [];
        for (var y = _firstYear; y <= _settings.CurrentYear; y++)
        {
            ct.ThrowIfCancellationRequested();
            var newStudents = new List<Student>();
            var events = new List<StatusEvent>();
            if (y == _firstYear)
                active = InitialPupils(y, newStudents, events);
            else
                (active, leavers, dropped) = Advance(active, dropped, y, newStudents, events);

            var classes = AssignClasses(active, y);
            await writer.WriteAsync(classes, ct);
            await writer.WriteAsync(newStudents, ct);
            Students += newStudents.Count;
            var written = await writer.WriteAsync(EnrollmentRows(active, leavers, y), ct);
            Enrollments += written;
            await writer.WriteAsync(events, ct);
            PlanStaff(y);
            var inSchool = active.Count(p => p.Status is EnrollmentStatus.InSchool or EnrollmentStatus.Suspended);
            progress?.Report($"{_name} {y}–{y + 1}学年：在校生 {inSchool:N0} 人，班级 {classes.Count:N0} 个，学籍变动 {events.Count:N0} 条");
        }

        await writer.WriteAsync(_staff.Select(s => s.Member), ct);
        await writer.WriteAsync(_assignments, ct);
        progress?.Report($"{_name}：教职工 {_staff.Count:N0} 人");

        await writer.WriteAsync(Conditions(), ct);
        await writer.WriteAsync(History(), ct);
        await writer.WriteAsync(PopulationRows(), ct);
        progress?.Report($"{_name}：办学条件、历年在校生和适龄人口已写入");
    }

    // ---------------------------------------------------------------- organisation

    private List<OrgUnit> PlanOrganisation(OrgUnit? city)
    {
        var units = new List<OrgUnit>();
        _county = new OrgUnit { Id = _ids.OrgUnit++, Kind = OrgUnitKind.County, Name = _name, Code = _area };
        _county.PlaceUnder(city);
        _county.Parent = null;
        units.Add(_county);

        string[] names = ["城关镇", .. RuralTownships];
        for (var i = 0; i < names.Length; i++)
        {
            var u = new OrgUnit { Id = _ids.OrgUnit++, Kind = OrgUnitKind.Township, Name = names[i], Code = $"{_area}{i + 1:000}" };
            u.PlaceUnder(_county);
            u.Parent = null;
            units.Add(u);
            _townships.Add(new TownshipPlan { Index = i, Name = names[i], Unit = u });
        }

        var town = _townships[0];
        // County town: crowded public schools, private kindergartens, the high schools, 职教中心 and 特教学校.
        Add(town, "县第一幼儿园", SchoolLevel.Kindergarten, UrbanRural.Urban, (DemoStage.Kg, 1.2), cap: 35);
        Add(town, "县第二幼儿园", SchoolLevel.Kindergarten, UrbanRural.Urban, (DemoStage.Kg, 1.0), cap: 35);
        Add(town, "阳光幼儿园", SchoolLevel.Kindergarten, UrbanRural.Urban, (DemoStage.Kg, 0.8), cap: 32, ownership: Ownership.Private, inclusive: true);
        Add(town, "童心幼儿园", SchoolLevel.Kindergarten, UrbanRural.Urban, (DemoStage.Kg, 0.7), cap: 32, ownership: Ownership.Private, inclusive: true);
        Add(town, "金色摇篮双语幼儿园", SchoolLevel.Kindergarten, UrbanRural.Urban, (DemoStage.Kg, 0.6), cap: 28, ownership: Ownership.Private, inclusive: false);
        Add(town, "小天使幼儿园", SchoolLevel.Kindergarten, UrbanRural.Urban, (DemoStage.Kg, 0.5), cap: 28, ownership: Ownership.Private, inclusive: false);
        var first = Add(town, "城关第一小学", SchoolLevel.Primary, UrbanRural.Urban, (DemoStage.Primary, 1.6), cap: 60);
        first.ConditionFactor = 0.78;
        Add(town, "城关第二小学", SchoolLevel.Primary, UrbanRural.Urban, (DemoStage.Primary, 1.5), cap: 54);
        Add(town, "城关第三小学", SchoolLevel.Primary, UrbanRural.Urban, (DemoStage.Primary, 1.2), cap: 52);
        Add(town, "县实验小学", SchoolLevel.Primary, UrbanRural.Urban, (DemoStage.Primary, 1.6), cap: 55);
        Add(town, "县实验学校", SchoolLevel.NineYear, UrbanRural.Urban, (DemoStage.Primary, 1.0), cap: 50, junior: 0.8);
        Add(town, "育才小学", SchoolLevel.Primary, UrbanRural.Urban, (DemoStage.Primary, 0.5), cap: 45, ownership: Ownership.Private);
        var crowdedJunior = Add(town, "城关初级中学", SchoolLevel.Junior, UrbanRural.Urban, (DemoStage.Junior, 1.3), cap: 60);
        crowdedJunior.ConditionFactor = 0.8;
        Add(town, "县实验中学", SchoolLevel.Junior, UrbanRural.Urban, (DemoStage.Junior, 1.2), cap: 55);
        Add(town, "县第二中学", SchoolLevel.Complete, UrbanRural.Urban, (DemoStage.Junior, 0.8), cap: 52, senior: 0.7);
        Add(town, "县第一中学", SchoolLevel.Senior, UrbanRural.Urban, (DemoStage.Senior, 1.0), cap: 55, boarding: true);
        Add(town, "县职业教育中心", SchoolLevel.Vocational, UrbanRural.Urban, (DemoStage.Vocational, 1.0), cap: 45, boarding: true);
        Add(town, "县特殊教育学校", SchoolLevel.Special, UrbanRural.Urban, (DemoStage.Special, 1.0), cap: 12, boarding: true);

        var village = 0;
        foreach (var t in _townships.Skip(1))
        {
            var size = 0.7 + 0.6 * _rng.NextDouble();
            var shortName = t.Name[..2];
            Add(t, $"{shortName}镇中心幼儿园".Replace("乡镇", "乡"), SchoolLevel.Kindergarten, UrbanRural.Town, (DemoStage.Kg, 0.6 * size), cap: 33);
            if (t.Index is 4 or 9)
                Add(t, $"{shortName}育苗幼儿园", SchoolLevel.Kindergarten, UrbanRural.Town, (DemoStage.Kg, 0.3), cap: 30, ownership: Ownership.Private, inclusive: true);
            var center = Add(t, $"{shortName}中心小学", SchoolLevel.Primary, UrbanRural.Town, (DemoStage.Primary, 1.0 * size), cap: 50, boarding: t.Index % 3 == 0);
            // Most townships have a village primary and a 教学点 under the 中心校; the larger ones two.
            var villageSchools = t.Index <= 8 ? 1 : 0;
            for (var v = 0; v < villageSchools + (size > 1.15 ? 1 : 0); v++)
            {
                var s = Add(t, $"{shortName}{Villages[village++ % Villages.Length]}小学", SchoolLevel.Primary, UrbanRural.Rural, (DemoStage.Primary, 0.3 * size), cap: 42);
                s.IsVillageSchool = true;
                if (_rng.Chance(0.25)) s.ConditionFactor = 0.85;
            }
            var points = t.Index <= 7 ? 1 : 0;
            for (var v = 0; v < points + (t.Index is 2 or 6 ? 1 : 0); v++)
            {
                var p = Add(t, $"{shortName}{Villages[village++ % Villages.Length]}教学点", SchoolLevel.TeachingPoint, UrbanRural.Rural,
                    (DemoStage.Primary, 0.025 + 0.04 * _rng.NextDouble()), cap: 30, parent: center);
                p.IsVillageSchool = true;
            }
            if (t.Index is 3 or 7 or 10)
                Add(t, $"{shortName}九年一贯制学校", SchoolLevel.NineYear, UrbanRural.Town, (DemoStage.Primary, 0.3 * size), cap: 48, junior: 1.0, boarding: true);
            else
                Add(t, $"{shortName}镇初级中学".Replace("乡镇", "乡"), SchoolLevel.Junior, UrbanRural.Town, (DemoStage.Junior, 1.0), cap: 50, boarding: true);
            if (t.Index == 5)
                Add(t, "县第三中学", SchoolLevel.Senior, UrbanRural.Town, (DemoStage.Senior, 0.55), cap: 55, boarding: true);
        }

        foreach (var s in _schools) units.Add(s.Unit);
        ComputeShares();
        return units;
    }

    private SchoolPlan Add(TownshipPlan t, string name, SchoolLevel level, UrbanRural ur, (DemoStage Stage, double Weight) main, int cap,
        Ownership ownership = Ownership.Public, bool inclusive = true, bool boarding = false, double junior = 0, double senior = 0, SchoolPlan? parent = null)
    {
        var index = _schools.Count;
        var code = $"1{_area}{index + 1:000}";
        var unit = new OrgUnit { Id = _ids.OrgUnit++, Kind = OrgUnitKind.School, Name = name, Code = code };
        unit.PlaceUnder(parent?.Unit ?? t.Unit);
        unit.Parent = null;
        var school = new School
        {
            Id = unit.Id, Code = code, Name = name, Level = level, Ownership = ownership,
            Inclusive = level == SchoolLevel.Kindergarten && (ownership == Ownership.Public || inclusive),
            UrbanRural = ur, Boarding = boarding, TownshipId = t.Unit.Id, CountyId = _county.Id, ParentSchoolId = parent?.School.Id, Path = unit.Path,
        };
        var plan = new SchoolPlan { Index = index, School = school, Unit = unit, Township = t, ClassCap = cap };
        plan.Weight[main.Stage] = main.Weight;
        if (junior > 0) plan.Weight[DemoStage.Junior] = junior;
        if (senior > 0) plan.Weight[DemoStage.Senior] = senior;
        plan.ConditionFactor = 1.2 + 0.25 * _rng.NextDouble();
        _schools.Add(plan);
        t.Schools.Add(plan);
        return plan;
    }

    /// <summary>Turns weights into shares of the county cohort. Junior shares follow the townships' primary shares,
    /// because pupils move up to the junior school of their township.</summary>
    private void ComputeShares()
    {
        foreach (var stage in new[] { DemoStage.Kg, DemoStage.Primary, DemoStage.Senior, DemoStage.Vocational, DemoStage.Special })
        {
            var total = _schools.Sum(s => s.Weight.GetValueOrDefault(stage));
            foreach (var s in _schools.Where(s => s.Weight.ContainsKey(stage)))
                s.Share[stage] = s.Weight[stage] / total;
        }
        foreach (var t in _townships)
        {
            var primaryShare = t.Schools.Sum(s => s.Share.GetValueOrDefault(DemoStage.Primary));
            var juniors = t.Schools.Where(s => s.Weight.ContainsKey(DemoStage.Junior)).ToList();
            var w = juniors.Sum(s => s.Weight[DemoStage.Junior]);
            foreach (var s in juniors) s.Share[DemoStage.Junior] = primaryShare * s.Weight[DemoStage.Junior] / w;
            // Residents: the county town's schools also take children from the villages, so its population share is lower.
            t.PopShare = t.Urban ? primaryShare * 0.85 : primaryShare;
        }
        var pop = _townships.Sum(t => t.PopShare);
        foreach (var t in _townships) t.PopShare /= pop;
    }

    private (List<SchoolGroup>, List<SchoolGroupMember>) PlanGroups()
    {
        var groups = new List<SchoolGroup>();
        var members = new List<SchoolGroupMember>();
        void Group(string name, SchoolGroupKind kind, IEnumerable<SchoolPlan> schools)
        {
            var g = new SchoolGroup { Id = _ids.Group++, Name = name, Kind = kind, OrgUnitId = _county.Id };
            groups.Add(g);
            members.AddRange(schools.Select(s => new SchoolGroupMember { GroupId = g.Id, SchoolId = s.School.Id, CountyId = _county.Id }));
        }
        foreach (var t in _townships)
            Group($"{t.Name}学区", SchoolGroupKind.District,
                t.Schools.Where(s => s.Level is not (SchoolLevel.Senior or SchoolLevel.Complete or SchoolLevel.Vocational or SchoolLevel.Special)));
        var centers = _schools.Where(s => s.Level == SchoolLevel.Primary && s.School.UrbanRural == UrbanRural.Town).ToList();
        var ruralJuniors = _schools.Where(s => s.Level == SchoolLevel.Junior && s.School.UrbanRural == UrbanRural.Town).ToList();
        Group("城关第一小学教育集团", SchoolGroupKind.Group, [_schools.First(s => s.School.Name == "城关第一小学"), .. centers.Take(2)]);
        Group("县实验中学教育集团", SchoolGroupKind.Group, [_schools.First(s => s.School.Name == "县实验中学"), .. ruralJuniors.Take(2)]);
        return (groups, members);
    }

    // ---------------------------------------------------------------- pupils

    private double Noise(SchoolPlan s, int year, Grade g) => 1 + 0.08 * (DemoRandom.Unit(_settings.Seed, _number, s.Index, year, (long)g) - 0.5);

    /// <summary>Expected pupils of one school and grade in a year, from the county cohort and the school's share.</summary>
    private int Expected(SchoolPlan s, int year, Grade g)
    {
        var stage = s.StageOf(g);
        var share = stage == DemoStage.Special ? 1.0 : s.Share.GetValueOrDefault(stage);
        return (int)Math.Round(DemoPlan.Cohort(stage, year, DemoPlan.IndexInStage(stage, g)) * share * Noise(s, year, g) * _settings.Size);
    }

    private List<Pupil> InitialPupils(int y, List<Student> students, List<StatusEvent> events)
    {
        var pupils = new List<Pupil>();
        foreach (var s in _schools)
            foreach (var g in s.Grades)
            {
                var n = Expected(s, y, g);
                var stage = s.StageOf(g);
                var k = DemoPlan.IndexInStage(stage, g);
                for (var i = 0; i < n; i++)
                {
                    var p = NewPupil(s, g, y, students, entryYear: y - k);
                    pupils.Add(p);
                    if (k == 0) events.Add(Event(p, y, new DateOnly(y, 9, 1), StatusEventKind.Admitted, s));
                    else if (stage != DemoStage.Kg && _rng.Chance(0.0008))
                    {
                        p.Status = EnrollmentStatus.Suspended;
                        events.Add(Event(p, y, new DateOnly(y, 8, 26), StatusEventKind.Suspend, s, note: "因病休学"));
                    }
                }
            }
        return pupils;
    }

    private Pupil NewPupil(SchoolPlan s, Grade g, int y, List<Student> students, int? entryYear = null)
    {
        var special = s.Level == SchoolLevel.Special;
        var overAge = _rng.NextDouble() switch { < 0.005 => 2, < 0.035 => 1, _ => 0 };
        if (g.IsKindergarten()) overAge = 0;
        var age = g.TypicalAge() + overAge + (special && _rng.Chance(0.3) ? 1 : 0);
        // Born between September 2 of (y − age − 1) and September 1 of (y − age): exactly `age` on the count date.
        var birth = new DateOnly(y - age - 1, 9, 2).AddDays(_rng.Next(365));
        var gender = _rng.Chance(0.52) ? Gender.Male : Gender.Female;
        var rural = s.School.UrbanRural != UrbanRural.Urban;
        var home = rural || _rng.Chance(0.75) ? s.Township : _townships[1 + _rng.Next(_townships.Count - 1)];
        var p = new Pupil { Id = _ids.Student++, Birth = birth, School = s, Grade = g, Home = home };
        p.Poverty = _rng.Chance(rural ? 0.05 : 0.015);
        p.Subsistence = _rng.Chance(rural ? 0.035 : 0.015);
        p.Extreme = _rng.Chance(0.003);
        p.Orphan = _rng.Chance(0.002);
        p.LeftBehind = !g.IsSenior() && !g.IsVocational() && _rng.Chance(rural ? 0.18 : 0.03);
        p.Migrant = !rural && _rng.Chance(0.09);
        if (special)
        {
            p.Disability = _rng.NextDouble() switch
            {
                < 0.5 => DisabilityType.Intellectual, < 0.65 => DisabilityType.Hearing, < 0.75 => DisabilityType.Speech,
                < 0.9 => DisabilityType.Visual, _ => DisabilityType.Multiple,
            };
            p.HomeSchooling = _rng.Chance(0.2);
        }
        else if (_rng.Chance(0.006))
        {
            p.Disability = _rng.NextDouble() switch
            {
                < 0.15 => DisabilityType.Visual, < 0.3 => DisabilityType.Hearing, < 0.4 => DisabilityType.Speech, < 0.65 => DisabilityType.Physical,
                < 0.9 => DisabilityType.Intellectual, < 0.95 => DisabilityType.Mental, _ => DisabilityType.Multiple,
            };
            p.HomeSchooling = g.IsCompulsory() && _rng.Chance(0.12);
        }

        var id = _rng.Chance(0.003) ? null : NewIdNumber(birth, gender);
        students.Add(new Student
        {
            Id = p.Id,
            StudentNo = id is null ? $"L{_area}{++_studentNoSeq:0000000}" : "G" + id,
            Name = DemoRandom.Name(_rng, gender),
            Gender = gender,
            BirthDate = birth,
            IdNumber = id,
            Ethnicity = _rng.Chance(0.97) ? "汉族" : _rng.Pick(DemoRandom.Ethnicities),
            Disability = p.Disability,
            HouseholdTownship = p.Migrant ? "县外" : home.Name,
            EntryYearMonth = $"{entryYear ?? y}-09",
            CountyId = _county.Id,
        });
        return p;
    }

    /// <summary>A valid 18-digit number, unique in the county: sequence odd for men, even for women, counted per birth date.</summary>
    private string? NewIdNumber(DateOnly birth, Gender gender)
    {
        var key = birth.DayNumber * 2 + (gender == Gender.Male ? 1 : 0);
        var n = _idSequence.GetValueOrDefault(key);
        _idSequence[key] = n + 1;
        var seq = n * 2 + (gender == Gender.Male ? 1 : 2);
        return seq > 999 ? null : IdNumber.Create(_area, birth, seq);
    }

    private StatusEvent Event(Pupil p, int year, DateOnly date, StatusEventKind kind, SchoolPlan at, SchoolPlan? other = null, string? note = null) => new()
    {
        Id = _ids.Event++, StudentId = p.Id, Year = year, Date = date, Kind = kind, SchoolId = at.School.Id,
        OtherSchoolId = other?.School.Id, Note = note, CountyId = _county.Id,
    };

    private DateOnly Summer(int y) => new(y, 8, 20 + _rng.Next(10));

    /// <summary>
    /// One summer: pupils move from year y−1 to year y. Movement events carry the school year they lead into (y),
    /// dated in late August before the count date; graduations belong to the year that ends (y−1, June 30).
    /// </summary>
    private (List<Pupil>, List<(Pupil, Grade, EnrollmentStatus, SchoolPlan)>, List<Pupil>) Advance(
        List<Pupil> previous, List<Pupil> droppedBefore, int y, List<Student> students, List<StatusEvent> events)
    {
        var next = new List<Pupil>(previous.Count);
        var leavers = new List<(Pupil, Grade, EnrollmentStatus, SchoolPlan)>();
        var dropped = new List<Pupil>();
        var kgGraduates = _townships.Select(_ => new List<Pupil>()).ToArray();
        var primaryGraduates = _townships.Select(_ => new List<Pupil>()).ToArray();
        var juniorGraduates = new List<Pupil>();
        var graduation = new DateOnly(y, 6, 30);
        var admission = new DateOnly(y, 9, 1);

        foreach (var p in previous)
        {
            if (p.Status == EnrollmentStatus.Suspended)
            {
                p.Status = EnrollmentStatus.InSchool;
                events.Add(Event(p, y, Summer(y), StatusEventKind.Resume, p.School, note: "休学期满复学"));
                next.Add(p);
                continue;
            }
            if (p.Status != EnrollmentStatus.InSchool) continue;
            var s = p.School;
            var stage = s.StageOf(p.Grade);
            if (s.IsLastOfStage(p.Grade))
            {
                events.Add(Event(p, y - 1, graduation, StatusEventKind.Graduate, s));
                if (stage == DemoStage.Kg) kgGraduates[s.Township.Index].Add(p);
                else if (stage == DemoStage.Primary) primaryGraduates[s.Township.Index].Add(p);
                else if (stage == DemoStage.Junior) juniorGraduates.Add(p);
                continue;
            }
            var nextGrade = p.Grade.Next()!.Value;
            var (pOut, pDrop, pSilent, pSuspend, pTransfer, pRepeat) = stage switch
            {
                DemoStage.Kg => (0.008, 0.0, 0.0, 0.0, 0.006, 0.0),
                DemoStage.Primary => (0.003, 0.0002, 0.0001, 0.0008, 0.012, 0.0015),
                DemoStage.Junior => (0.003, 0.0012, 0.0003, 0.0008, 0.008, 0.001),
                DemoStage.Senior => (0.004, 0.005, 0.0, 0.0008, 0.002, 0.0),
                DemoStage.Vocational => (0.005, 0.01, 0.0, 0.0008, 0.0, 0.0),
                _ => (0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
            };
            var u = _rng.NextDouble();
            if ((u -= pOut) < 0)
            {
                leavers.Add((p, nextGrade, EnrollmentStatus.TransferredOut, s));
                events.Add(Event(p, y, Summer(y), StatusEventKind.TransferOut, s, note: "转往县外"));
            }
            else if ((u -= pDrop) < 0)
            {
                p.Grade = nextGrade;
                p.Status = EnrollmentStatus.DroppedOut;
                leavers.Add((p, nextGrade, EnrollmentStatus.DroppedOut, s));
                events.Add(Event(p, y, Summer(y), StatusEventKind.DropOut, s, note: _rng.Pick(DropReasons)));
                dropped.Add(p);
            }
            else if ((u -= pSilent) < 0)
            {
                // Left without a record: the 控辍保学 check should find these as 疑似辍学.
            }
            else if ((u -= pSuspend) < 0)
            {
                p.Grade = nextGrade;
                p.Status = EnrollmentStatus.Suspended;
                events.Add(Event(p, y, Summer(y), StatusEventKind.Suspend, s, note: "因病休学"));
                next.Add(p);
            }
            else if ((u -= pTransfer) < 0 && TransferTarget(s, nextGrade) is { } target)
            {
                var date = Summer(y);
                events.Add(Event(p, y, date, StatusEventKind.TransferOut, s, target, "县内转学"));
                events.Add(Event(p, y, date, StatusEventKind.TransferIn, target, s, "县内转学"));
                p.School = target;
                p.Grade = nextGrade;
                next.Add(p);
            }
            else
            {
                if ((u -= pRepeat) >= 0) p.Grade = nextGrade; // else 留级: stays in the grade
                next.Add(p);
            }
        }

        // Dropouts of last summer: some are persuaded back (复学) into the grade they left.
        foreach (var p in droppedBefore)
        {
            if (!_rng.Chance(0.4)) continue;
            p.Status = EnrollmentStatus.InSchool;
            events.Add(Event(p, y, Summer(y), StatusEventKind.Resume, p.School, note: "劝返复学"));
            next.Add(p);
        }

        // 大班 → 一年级 in the home township; fresh pupils fill each primary's intake.
        foreach (var t in _townships)
        {
            var primaries = t.Schools.Where(s => s.Teaches(Grade.G1) && s.Level != SchoolLevel.Special).ToList();
            var targets = primaries.Select(s => Expected(s, y, Grade.G1)).ToArray();
            var taken = new int[primaries.Count];
            var weights = primaries.Select(s => s.Share[DemoStage.Primary]).ToArray();
            foreach (var p in kgGraduates[t.Index])
            {
                var i = _rng.PickWeighted(weights);
                Admit(p, primaries[i], Grade.G1);
                taken[i]++;
            }
            for (var i = 0; i < primaries.Count; i++)
                for (var n = taken[i]; n < targets[i]; n++)
                    Fresh(primaries[i], Grade.G1);
        }
        // 六年级 → 七年级 at the junior schools of the township (九年一贯制 pupils were promoted in place above).
        foreach (var t in _townships)
        {
            var juniors = t.Schools.Where(s => s.Share.ContainsKey(DemoStage.Junior)).ToList();
            var weights = juniors.Select(s => s.Share[DemoStage.Junior]).ToArray();
            foreach (var p in primaryGraduates[t.Index])
                Admit(p, juniors[_rng.PickWeighted(weights)], Grade.G7);
        }
        // 九年级 → 高一 or 中职一年级 (or work / schools outside the county).
        var seniors = _schools.Where(s => s.Share.ContainsKey(DemoStage.Senior)).ToList();
        var seniorWeights = seniors.Select(s => s.Share[DemoStage.Senior]).ToArray();
        var vocational = _schools.Where(s => s.Share.ContainsKey(DemoStage.Vocational)).ToList();
        foreach (var p in juniorGraduates)
        {
            var u = _rng.NextDouble();
            if (u < 0.70) Admit(p, seniors[_rng.PickWeighted(seniorWeights)], Grade.S1);
            else if (u < 0.96) Admit(p, vocational[_rng.Next(vocational.Count)], Grade.V1);
        }
        // Kindergarten intake, late entrants to 中班/大班, and the special school's new pupils.
        var counts = new Dictionary<(int, Grade), int>();
        foreach (var p in next) counts[(p.School.Index, p.Grade)] = counts.GetValueOrDefault((p.School.Index, p.Grade)) + 1;
        foreach (var s in _schools.Where(s => s.Level is SchoolLevel.Kindergarten or SchoolLevel.Special))
            foreach (var g in s.Grades)
            {
                var have = counts.GetValueOrDefault((s.Index, g));
                var want = g is Grade.KgSmall or Grade.G1 ? Expected(s, y, g) : (int)(Expected(s, y, g) * 0.98);
                for (var n = have; n < want; n++) Fresh(s, g);
            }
        // A few pupils arrive from outside the county (转入).
        var compulsory = _schools.Where(s => s.Teaches(Grade.G3) && s.Level != SchoolLevel.Special).ToList();
        var compulsoryWeights = compulsory.Select(s => s.Share.GetValueOrDefault(DemoStage.Primary) + s.Share.GetValueOrDefault(DemoStage.Junior)).ToArray();
        var arrivals = (int)(next.Count * 0.0015);
        for (var i = 0; i < arrivals; i++)
        {
            var s = compulsory[_rng.PickWeighted(compulsoryWeights)];
            var grades = s.Grades.Where(g => g is not (Grade.G1 or Grade.G7)).ToArray();
            var p = NewPupil(s, _rng.Pick(grades), y, students);
            events.Add(Event(p, y, Summer(y), StatusEventKind.TransferIn, s, note: "县外转入"));
            next.Add(p);
        }
        return (next, leavers, dropped);

        void Admit(Pupil p, SchoolPlan s, Grade g)
        {
            p.School = s;
            p.Grade = g;
            events.Add(Event(p, y, admission, StatusEventKind.Admitted, s));
            next.Add(p);
        }

        void Fresh(SchoolPlan s, Grade g)
        {
            var p = NewPupil(s, g, y, students);
            events.Add(Event(p, y, admission, StatusEventKind.Admitted, s));
            next.Add(p);
        }
    }

    private static readonly string[] DropReasons = ["外出务工", "厌学", "家庭经济困难", "随父母外出", "早婚"];

    /// <summary>Another school teaching the grade, weighted by size: pupils drift towards the county town.</summary>
    private SchoolPlan? TransferTarget(SchoolPlan from, Grade g)
    {
        var stage = DemoPlan.StageOf(g);
        var candidates = _schools.Where(s => s != from && s.Teaches(g) && s.Level != SchoolLevel.Special && s.Share.ContainsKey(stage)).ToList();
        if (candidates.Count == 0) return null;
        return candidates[_rng.PickWeighted(candidates.Select(s => s.Share[stage] * (s.School.UrbanRural == UrbanRural.Urban ? 2.0 : 1.0)).ToArray())];
    }

    /// <summary>Forms classes per school and grade and puts each pupil in school into one (送教上门 pupils sit in none).</summary>
    private List<ClassRoom> AssignClasses(List<Pupil> active, int y)
    {
        var yearIndex = y - _firstYear;
        foreach (var s in _schools) { s.InSchool[yearIndex] = 0; s.InSchoolJunior[yearIndex] = 0; s.InSchoolSenior[yearIndex] = 0; }
        var groups = new Dictionary<(int School, Grade Grade), List<Pupil>>();
        foreach (var p in active)
        {
            p.ClassId = null;
            if (p.Status is not (EnrollmentStatus.InSchool or EnrollmentStatus.Suspended)) continue;
            p.School.InSchool[yearIndex]++;
            if (p.Grade.IsJunior()) p.School.InSchoolJunior[yearIndex]++;
            if (p.Grade.IsSenior()) p.School.InSchoolSenior[yearIndex]++;
            if (p.Disability is DisabilityType.Visual or DisabilityType.Hearing or DisabilityType.Speech or DisabilityType.Intellectual)
            {
                var key = (p.Home.Index, SchoolYear.AgeOn(p.Birth, new DateOnly(y, 9, 1)));
                _disabledInSchool[yearIndex][key] = _disabledInSchool[yearIndex].GetValueOrDefault(key) + 1;
            }
            if (p.HomeSchooling) continue;
            if (!groups.TryGetValue((p.School.Index, p.Grade), out var list)) groups[(p.School.Index, p.Grade)] = list = [];
            list.Add(p);
        }
        var classes = new List<ClassRoom>();
        foreach (var s in _schools)
            foreach (var g in s.Grades)
            {
                if (!groups.TryGetValue((s.Index, g), out var list)) continue;
                var k = (list.Count + s.ClassCap - 1) / s.ClassCap;
                var first = _ids.Class;
                for (var c = 1; c <= k; c++)
                    classes.Add(new ClassRoom { Id = _ids.Class++, SchoolId = s.School.Id, Year = y, Grade = g, Name = GradeInfo.ClassName(g, c), CountyId = _county.Id });
                for (var i = 0; i < list.Count; i++) list[i].ClassId = first + i % k;
            }
        return classes;
    }

    private IEnumerable<Enrollment> EnrollmentRows(List<Pupil> active, List<(Pupil Pupil, Grade Grade, EnrollmentStatus Status, SchoolPlan School)> leavers, int y)
    {
        foreach (var p in active) yield return Row(p, p.School, p.Grade, p.Status, p.ClassId);
        foreach (var (p, grade, status, school) in leavers) yield return Row(p, school, grade, status, null);

        Enrollment Row(Pupil p, SchoolPlan s, Grade g, EnrollmentStatus status, int? classId)
        {
            var boardingShare = !s.School.Boarding ? 0 : g switch
            {
                >= Grade.G1 and < Grade.G4 => 0.1,
                <= Grade.G6 => 0.5,
                <= Grade.G9 => 0.8,
                _ => 0.9,
            };
            if (g.IsKindergarten()) boardingShare = 0;
            return new Enrollment
            {
                Id = _ids.Enrollment++, StudentId = p.Id, Year = y, SchoolId = s.School.Id, ClassId = classId, Grade = g, Status = status,
                Boarding = DemoRandom.Unit(p.Id, s.Index) < boardingShare ? BoardingMode.Boarding : BoardingMode.Day,
                PovertyRegistered = p.Poverty, SubsistenceAllowance = p.Subsistence, ExtremePoverty = p.Extreme, Orphan = p.Orphan,
                LeftBehind = p.LeftBehind, Migrant = p.Migrant, HomeSchooling = p.HomeSchooling, CountyId = _county.Id,
            };
        }
    }

    // ---------------------------------------------------------------- staff

    private static readonly (string Subject, double Weight)[] PrimarySubjects =
        [("语文", 32), ("数学", 28), ("英语", 9), ("科学", 5), ("道德与法治", 4), ("体育", 8.5), ("音乐", 6.5), ("美术", 6.5), ("信息技术", 0.5)];
    private static readonly (string Subject, double Weight)[] JuniorSubjects =
        [("语文", 15), ("数学", 15), ("英语", 14), ("物理", 8), ("化学", 5), ("生物", 6), ("历史", 6), ("地理", 6), ("道德与法治", 7), ("体育", 8), ("音乐", 4), ("美术", 4), ("信息技术", 2)];
    private static readonly (string Subject, double Weight)[] SeniorSubjects =
        [("语文", 14), ("数学", 14), ("英语", 13), ("物理", 10), ("化学", 8), ("生物", 8), ("思想政治", 7), ("历史", 7), ("地理", 7), ("体育", 6), ("音乐", 2), ("美术", 2), ("信息技术", 2)];
    private static readonly (string Subject, double Weight)[] VocationalSubjects =
        [("语文", 8), ("数学", 8), ("英语", 6), ("体育", 5), ("机电技术", 20), ("计算机应用", 20), ("会计事务", 12), ("汽车运用与维修", 14), ("音乐", 3), ("美术", 4)];

    /// <summary>Staff a school needs in a year from its pupils and the norms (docs/domain.md), with a floor for small schools.</summary>
    private static int StaffTarget(SchoolPlan s, int yearIndex)
    {
        double n = s.InSchool[yearIndex], junior = s.InSchoolJunior[yearIndex], senior = s.InSchoolSenior[yearIndex];
        var target = s.Level switch
        {
            SchoolLevel.Kindergarten => Math.Ceiling(n / 14.0) * 1.35,
            SchoolLevel.Primary => n / 19.0 * 1.1,
            SchoolLevel.TeachingPoint => n / 19.0 * 1.1,
            SchoolLevel.Junior => n / 13.5 * 1.06,
            SchoolLevel.NineYear => (n - junior) / 19.0 * 1.1 + junior / 13.5 * 1.06,
            SchoolLevel.Complete => junior / 13.5 * 1.06 + senior / 12.5 * 1.05,
            SchoolLevel.Senior => n / 12.5 * 1.05,
            SchoolLevel.Vocational => n / 11.0,
            SchoolLevel.Special => n / 3.0,
            _ => n / 15.0,
        };
        var floor = s.Level switch { SchoolLevel.TeachingPoint => 2, SchoolLevel.Special => 10, _ => s.IsVillageSchool ? 7 : 4 };
        return Math.Max(floor, (int)Math.Ceiling(target));
    }

    private void PlanStaff(int y)
    {
        var yearIndex = y - _firstYear;
        var countDate = new DateOnly(y, 9, 1);
        var bySchool = _schools.Select(_ => new List<StaffState>()).ToArray();
        foreach (var st in _staff)
        {
            if (st.Gone) continue;
            var age = SchoolYear.AgeOn(st.Member.BirthDate, countDate);
            if (age >= (st.Member.Gender == Gender.Male ? 60 : 55)) { st.Gone = true; continue; }
            if (yearIndex > 0 && st.Member.Post == StaffPost.FullTimeTeacher && _rng.Chance(0.03))
            {
                // 交流轮岗: to another school of the same level.
                var same = _schools.Where(s => s.Level == st.School.Level && s != st.School).ToList();
                if (same.Count > 0) st.School = _rng.Pick(same);
            }
            bySchool[st.School.Index].Add(st);
        }
        // Schools that lost pupils hand surplus teachers to schools of the same level that need them; the rest is hired.
        var surplus = new List<StaffState>();
        foreach (var s in _schools)
        {
            var list = bySchool[s.Index];
            var target = StaffTarget(s, yearIndex);
            while (list.Count > target * 1.08 + 2)
            {
                surplus.Add(list[^1]);
                list.RemoveAt(list.Count - 1);
            }
        }
        foreach (var s in _schools)
        {
            var list = bySchool[s.Index];
            var target = StaffTarget(s, yearIndex);
            while (list.Count < target)
            {
                var i = surplus.FindIndex(x => x.School.Level == s.Level);
                if (i >= 0)
                {
                    var moved = surplus[i];
                    surplus.RemoveAt(i);
                    moved.School = s;
                    list.Add(moved);
                }
                else list.Add(Hire(s, y, yearIndex == 0));
            }
        }
        foreach (var st in surplus) bySchool[st.School.Index].Add(st); // nobody to take them: they stay
        foreach (var s in _schools)
            foreach (var st in bySchool[s.Index])
                _assignments.Add(new StaffAssignment { Id = _ids.Assignment++, StaffId = st.Member.Id, Year = y, SchoolId = s.School.Id, CountyId = _county.Id });
    }

    private StaffState Hire(SchoolPlan s, int y, bool initial)
    {
        var kg = s.Level == SchoolLevel.Kindergarten;
        var age = initial ? 23 + _rng.Next(35) : 22 + _rng.Next(8);
        var femaleShare = s.Level switch
        {
            SchoolLevel.Kindergarten => 0.96, SchoolLevel.Primary or SchoolLevel.TeachingPoint => 0.72, SchoolLevel.Senior or SchoolLevel.Vocational => 0.5, _ => 0.58,
        };
        var gender = _rng.Chance(femaleShare) ? Gender.Female : Gender.Male;
        if (gender == Gender.Female && age >= 55) age = 54 - _rng.Next(5);
        var birth = new DateOnly(y - age - 1, 9, 2).AddDays(_rng.Next(365));
        var post = _rng.NextDouble() switch
        {
            var u when kg => u < 0.74 ? StaffPost.FullTimeTeacher : u < 0.8 ? StaffPost.Administrative : u < 0.86 ? StaffPost.Auxiliary : StaffPost.Service,
            < 0.86 => StaffPost.FullTimeTeacher,
            < 0.92 => StaffPost.Administrative,
            < 0.96 => StaffPost.Auxiliary,
            _ => StaffPost.Service,
        };
        if (s.Level == SchoolLevel.TeachingPoint) post = StaffPost.FullTimeTeacher;
        var teacher = post == StaffPost.FullTimeTeacher;
        var stage = s.Level switch
        {
            SchoolLevel.NineYear => _rng.Chance(0.55) ? DemoStage.Primary : DemoStage.Junior,
            SchoolLevel.Complete => _rng.Chance(0.5) ? DemoStage.Junior : DemoStage.Senior,
            _ => s.StageOf(s.Grades[0]),
        };
        string? subject = !teacher ? null : stage switch
        {
            DemoStage.Kg => "学前教育",
            DemoStage.Primary => Weighted(PrimarySubjects),
            DemoStage.Junior => Weighted(JuniorSubjects),
            DemoStage.Senior => Weighted(SeniorSubjects),
            DemoStage.Vocational => Weighted(VocationalSubjects),
            _ => "特殊教育",
        };
        var u2 = _rng.NextDouble() + (s.School.UrbanRural == UrbanRural.Rural ? 0.08 : 0) + (age > 50 ? 0.1 : 0);
        var education = stage switch
        {
            DemoStage.Kg => u2 < 0.45 ? EducationLevel.Bachelor : u2 < 0.93 ? EducationLevel.Associate : EducationLevel.HighSchool,
            DemoStage.Primary => u2 < 0.01 ? EducationLevel.Postgraduate : u2 < 0.72 ? EducationLevel.Bachelor : u2 < 0.985 ? EducationLevel.Associate : EducationLevel.HighSchool,
            DemoStage.Junior => u2 < 0.03 ? EducationLevel.Postgraduate : u2 < 0.92 ? EducationLevel.Bachelor : EducationLevel.Associate,
            _ => u2 < 0.12 ? EducationLevel.Postgraduate : u2 < 0.99 ? EducationLevel.Bachelor : EducationLevel.Associate,
        };
        if (!teacher && post == StaffPost.Service) education = _rng.Chance(0.6) ? EducationLevel.HighSchool : EducationLevel.BelowHighSchool;
        var title = age switch
        {
            < 26 => ProfessionalTitle.None,
            < 32 => _rng.Chance(0.7) ? ProfessionalTitle.Second : ProfessionalTitle.Third,
            < 42 => _rng.Chance(0.6) ? ProfessionalTitle.First : ProfessionalTitle.Second,
            _ => _rng.NextDouble() switch { < 0.03 => ProfessionalTitle.SeniorFull, < 0.4 => ProfessionalTitle.Senior, _ => ProfessionalTitle.First },
        };
        var backbone = !teacher || age < 28 ? BackboneLevel.None : _rng.NextDouble() switch
        {
            < 0.004 => BackboneLevel.National, < 0.03 => BackboneLevel.Province, < 0.11 => BackboneLevel.City, < 0.27 => BackboneLevel.County, _ => BackboneLevel.None,
        };
        string? honors = backbone switch
        {
            BackboneLevel.National or BackboneLevel.Province => "名师、学科带头人",
            BackboneLevel.City => "学科带头人",
            BackboneLevel.County when _rng.Chance(0.4) => "教学能手",
            _ => null,
        };
        var startYear = y - age + (education == EducationLevel.Postgraduate ? 25 : education == EducationLevel.Bachelor ? 22 : 20);
        var member = new StaffMember
        {
            Id = _ids.Staff++,
            StaffNo = $"{_area}{++_staffSeq:00000}",
            Name = DemoRandom.Name(_rng, gender),
            Gender = gender,
            BirthDate = birth,
            IdNumber = NewIdNumber(birth, gender),
            Post = post,
            Subject = subject,
            Education = education,
            PreschoolMajor = kg && teacher && _rng.Chance(0.82),
            Title = title,
            Backbone = backbone,
            Honors = honors,
            WorkStart = $"{Math.Min(startYear, y)}-08",
            Established = s.School.Ownership == Ownership.Public ? _rng.Chance(0.9) : _rng.Chance(0.1),
            CountyId = _county.Id,
        };
        var state = new StaffState { Member = member, School = s };
        _staff.Add(state);
        return state;
    }

    private string Weighted((string Subject, double Weight)[] table) => table[_rng.PickWeighted(table.Select(t => t.Weight).ToArray())].Subject;

    // ---------------------------------------------------------------- conditions, history, population

    /// <summary>Per-pupil standards (教学及辅助用房 m², 体育场馆 m², 仪器设备 元, 多媒体教室 per 100) by stage.</summary>
    private static (double Teaching, double Sports, double Equipment, double Multimedia) Standard(DemoStage s) => s switch
    {
        DemoStage.Kg => (7.0, 4.0, 800, 3.0),
        DemoStage.Primary => (4.5, 7.5, 2000, 2.3),
        DemoStage.Junior => (5.8, 10.2, 2500, 2.4),
        DemoStage.Senior => (7.0, 12.0, 3500, 2.5),
        DemoStage.Vocational => (9.0, 10.0, 6000, 2.6),
        _ => (20.0, 10.0, 5000, 6.0),
    };

    private IEnumerable<SchoolCondition> Conditions()
    {
        foreach (var s in _schools)
        {
            // Buildings are sized for the largest roster of the three years; equipment grows a little every year.
            var peak = Math.Max(1, s.InSchool.Max());
            var f = new double[4];
            for (var i = 0; i < 4; i++) f[i] = Math.Max(0.7, s.ConditionFactor * (1 + 0.12 * _rng.Normal()));
            for (var yi = 0; yi < 3; yi++)
            {
                var n = Math.Max(1, s.InSchool[yi]);
                var junior = s.InSchoolJunior[yi] + s.InSchoolSenior[yi];
                var mix = (double)junior / n;
                var low = Standard(s.StageOf(s.Grades[0]));
                var high = Standard(s.Level == SchoolLevel.Complete ? DemoStage.Senior : DemoStage.Junior);
                double Mix(Func<(double, double, double, double), double> pick) => pick(low) * (1 - mix) + pick(high) * mix;
                var teaching = peak * Mix(x => x.Item1) * f[0];
                yield return new SchoolCondition
                {
                    Id = _ids.Condition++, SchoolId = s.School.Id, Year = _firstYear + yi,
                    TeachingArea = Math.Round(teaching),
                    BuildingArea = Math.Round(teaching * 1.6),
                    SportsArea = Math.Round(peak * Mix(x => x.Item2) * f[1] * (s.School.UrbanRural == UrbanRural.Urban ? 0.9 : 1.1)),
                    EquipmentValue = Math.Round(n * Mix(x => x.Item3) * f[2] * (1 + 0.04 * yi) / 10000.0, 2),
                    MultimediaRooms = (int)Math.Ceiling(n / 100.0 * Mix(x => x.Item4) * f[3]),
                    Books = n * 30 + 2000,
                    Computers = n / 8 + 10,
                    CountyId = _county.Id,
                };
            }
        }
    }

    /// <summary>历年在校生 for the nine years before the rosters, from the same cohorts, so 巩固率 has its base years.</summary>
    private IEnumerable<HistoricalEnrollment> History()
    {
        foreach (var s in _schools)
            for (var y = _firstYear - 9; y < _firstYear; y++)
                foreach (var g in s.Grades)
                {
                    var n = Expected(s, y, g);
                    var stage = s.StageOf(g);
                    yield return new HistoricalEnrollment
                    {
                        Id = _ids.History++, SchoolId = s.School.Id, Year = y, Grade = g, Enrolled = n,
                        Graduates = s.IsLastOfStage(g) ? (int)Math.Round(n * 0.99) : null,
                        NewEntrants = DemoPlan.IndexInStage(stage, g) == 0 ? n : null,
                        CountyId = _county.Id,
                    };
                }
    }

    /// <summary>适龄人口 from the birth cohorts; 三类残疾 counts cover the disabled pupils in school plus a few who are not.</summary>
    private IEnumerable<PopulationCount> PopulationRows()
    {
        foreach (var t in _townships)
            for (var y = _firstYear - 9; y <= _settings.CurrentYear; y++)
                for (var age = 0; age <= 17; age++)
                {
                    var noise = 1 + 0.04 * (DemoRandom.Unit(_settings.Seed, _number, 1000 + t.Index, y, age) - 0.5);
                    var count = (int)Math.Round(DemoPlan.Births(y - age) * t.PopShare * noise * _settings.Size);
                    int disabled;
                    var yi = y - _firstYear;
                    if (yi >= 0)
                    {
                        var inSchool = _disabledInSchool[yi].GetValueOrDefault((t.Index, age));
                        var u = DemoRandom.Unit(_settings.Seed, _number, 2000 + t.Index, y, age);
                        // Ages 6–14: about one township-age cell in twelve has a child not in school, so that
                        // 残疾儿童少年义务教育入学率 lands near 97% (below 100%, around the 95% line) rather than at 100%.
                        disabled = inSchool + (int)Math.Floor(age is >= 6 and <= 14 ? inSchool * 0.02 + u * 1.03 : inSchool * 0.03 + u * 1.2);
                    }
                    else disabled = (int)Math.Round(count * 0.0012);
                    yield return new PopulationCount
                    {
                        Id = _ids.Population++, TownshipId = t.Unit.Id, Year = y, Age = age, Count = count, DisabledCount = disabled, CountyId = _county.Id,
                    };
                }
    }
}
