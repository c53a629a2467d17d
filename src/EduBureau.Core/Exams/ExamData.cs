namespace EduBureau.Core.Exams;

/// <summary>A subject as the analysis sees it: full marks and lines (fractions of full marks).</summary>
public sealed record SubjectSpec(string Name, double FullMarks, double ExcellentFraction = ExamSubject.DefaultExcellent,
    double PassFraction = ExamSubject.DefaultPass, double LowFraction = ExamSubject.DefaultLow, bool CountsInTotal = true,
    double? ExcellentTopFraction = null)
{
    public static SubjectSpec From(ExamSubject s) =>
        new(s.Name, s.FullMarks, s.ExcellentFraction, s.PassFraction, s.LowFraction, s.CountsInTotal, s.ExcellentTopFraction);
}

/// <param name="Special">A 特殊教育学校: analysed, but never ranked among the ordinary schools.</param>
public sealed record SchoolInfo(string Name, string Code, int Township, string UrbanRural, int? SchoolId = null, bool Special = false);

public sealed record ClassInfo(int School, string Name);

/// <summary>
/// One exam in memory, column-wise: pupil p's result in subject s is at p·S + s in <see cref="Values"/> and
/// <see cref="Cells"/>. This layout keeps a million score rows in about 5 MB and lets every statistic run as a
/// few linear passes. Scores are doubles (8 MB per million cells): as floats, 4.4 came out as 4.400000095367432 in every
/// statistic and export (#15), and the bench showed no measurable gain from the smaller array (docs/features/exams.md).
/// </summary>
public sealed class ExamData
{
    /// <summary>Cell states. <see cref="None"/> = the pupil does not take the subject (empty cell).</summary>
    public const byte None = 0, Sat = 1, Absent = 2, Exempt = 3, Cheating = 4;

    public string CountyName { get; init; } = "全县";
    public required SubjectSpec[] Subjects { get; init; }
    public required long[] StudentIds { get; init; }
    public string[]? Names { get; init; }
    public required int[] PupilSchool { get; init; }
    public required int[] PupilClass { get; init; }
    public required SchoolInfo[] Schools { get; init; }
    public required string[] Townships { get; init; }
    public required ClassInfo[] Classes { get; init; }
    /// <summary>Teacher of class c in subject s at c·S + s (−1 unknown); null when no teacher data.</summary>
    public int[]? ClassTeacher { get; init; }
    public string[] Teachers { get; init; } = [];
    public required double[] Values { get; init; }
    public required byte[] Cells { get; init; }

    public int PupilCount => StudentIds.Length;
    public int SubjectCount => Subjects.Length;

    public static ExamDataBuilder Builder(IEnumerable<SubjectSpec> subjects, string countyName = "全县") => new([.. subjects], countyName);
}

/// <summary>Builds <see cref="ExamData"/> from rows (tests, the database loader, the demo and the benchmark).</summary>
public sealed class ExamDataBuilder(SubjectSpec[] subjects, string countyName)
{
    private readonly Dictionary<string, int> _townships = [];
    private readonly Dictionary<string, int> _schools = [];
    private readonly List<SchoolInfo> _schoolList = [];
    private readonly Dictionary<(int, string), int> _classes = [];
    private readonly List<ClassInfo> _classList = [];
    private readonly Dictionary<long, int> _pupils = [];
    private readonly List<long> _ids = [];
    private readonly List<string> _names = [];
    private readonly List<int> _pupilSchool = [], _pupilClass = [];
    private readonly List<double> _values = [];
    private readonly List<byte> _cells = [];
    private readonly Dictionary<string, int> _teachers = [];
    private readonly Dictionary<(int, int), int> _classTeacher = [];

    public int School(string code, string name, string township, string urbanRural, int? schoolId = null, bool special = false)
    {
        if (_schools.TryGetValue(code, out var i)) return i;
        if (!_townships.TryGetValue(township, out var t)) _townships[township] = t = _townships.Count;
        _schoolList.Add(new SchoolInfo(name, code, t, urbanRural, schoolId, special));
        return _schools[code] = _schoolList.Count - 1;
    }

    public int Class(int school, string name)
    {
        if (_classes.TryGetValue((school, name), out var i)) return i;
        _classList.Add(new ClassInfo(school, name));
        return _classes[(school, name)] = _classList.Count - 1;
    }

    /// <summary>Adds (or finds) a pupil; the first school and class given are kept.</summary>
    public int Pupil(long studentId, int school, int cls, string? name = null)
    {
        if (_pupils.TryGetValue(studentId, out var p)) return p;
        _ids.Add(studentId);
        _names.Add(name ?? "");
        _pupilSchool.Add(school);
        _pupilClass.Add(cls);
        for (var s = 0; s < subjects.Length; s++) { _values.Add(double.NaN); _cells.Add(ExamData.None); }
        return _pupils[studentId] = _ids.Count - 1;
    }

    public void Set(int pupil, int subject, double? value, ScoreFlag flag = ScoreFlag.Normal)
    {
        var i = pupil * subjects.Length + subject;
        _cells[i] = flag switch
        {
            ScoreFlag.Normal => ExamData.Sat, ScoreFlag.Absent => ExamData.Absent, ScoreFlag.Exempt => ExamData.Exempt, _ => ExamData.Cheating,
        };
        _values[i] = flag == ScoreFlag.Normal && value is { } v ? v : double.NaN;
    }

    /// <summary>A class added so far, by school and name.</summary>
    public int? FindClass(int school, string name) => _classes.TryGetValue((school, name), out var i) ? i : null;

    /// <summary>Classes of a school added so far.</summary>
    public IEnumerable<int> ClassesOf(int school) =>
        _classes.Where(kv => kv.Key.Item1 == school).Select(kv => kv.Value).Order();

    /// <summary>Records who teaches a subject in a class (for the teacher level).</summary>
    public void Teacher(int cls, int subject, string teacher)
    {
        if (!_teachers.TryGetValue(teacher, out var t)) _teachers[teacher] = t = _teachers.Count;
        _classTeacher[(cls, subject)] = t;
    }

    public ExamData Build()
    {
        int[]? classTeacher = null;
        if (_classTeacher.Count > 0)
        {
            classTeacher = new int[_classList.Count * subjects.Length];
            Array.Fill(classTeacher, -1);
            foreach (var ((c, s), t) in _classTeacher) classTeacher[c * subjects.Length + s] = t;
        }
        return new ExamData
        {
            CountyName = countyName, Subjects = subjects, StudentIds = [.. _ids], Names = [.. _names],
            PupilSchool = [.. _pupilSchool], PupilClass = [.. _pupilClass], Schools = [.. _schoolList],
            Townships = [.. _townships.OrderBy(kv => kv.Value).Select(kv => kv.Key)], Classes = [.. _classList],
            ClassTeacher = classTeacher, Teachers = [.. _teachers.OrderBy(kv => kv.Value).Select(kv => kv.Key)],
            Values = [.. _values], Cells = [.. _cells],
        };
    }
}
