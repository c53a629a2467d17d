using EduBureau.Core.Common;
using EduBureau.Core.Data;
using EduBureau.Core.Organization;
using EduBureau.Core.Schools;
using EduBureau.Core.Staff;
using EduBureau.Core.Students;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using System.Net;
using System.Text.RegularExpressions;

namespace EduBureau.Web.Tests;

/// <summary>
/// <see cref="WebAppFactory"/> plus what the roster pages need on top of <see cref="TinyCounty"/>: two classes at 东镇小学,
/// a pupil with an ID number (赵六), a teacher and the school's conditions; 2024 has one class (二(5)班) and conditions too. Tests that change data add their own pupil.
/// </summary>
public sealed class RosterFixture : IAsyncLifetime
{
    public WebAppFactory App { get; } = new();
    public string ZhaoIdNumber { get; } = IdNumber.Create("452101", new DateOnly(2019, 3, 1), 123);
    public long ZhaoId { get; private set; }
    public long WangId { get; private set; }
    public long TeacherId { get; private set; }
    private int _next;

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        var c = App.County;
        await using var db = Open();
        var g1 = new ClassRoom { SchoolId = c.EastPrimary.Id, Year = TinyCounty.Year, Grade = Grade.G1, Name = "一(1)班" };
        db.Classes.AddRange(g1, new ClassRoom { SchoolId = c.EastPrimary.Id, Year = TinyCounty.Year, Grade = Grade.G3, Name = "三(1)班" });
        await db.SaveChangesAsync();
        var zhao = TinyCounty.AddPupil(db, "Z6", "赵六", c.EastPrimary, Grade.G1, c.County.Id);
        zhao.BirthDate = new DateOnly(2019, 3, 1);
        zhao.IdNumber = ZhaoIdNumber;
        zhao.Enrollments[0].ClassId = g1.Id;
        var teacher = new StaffMember
        {
            StaffNo = "T001", Name = "陈老师", Gender = Gender.Female, BirthDate = new DateOnly(1985, 5, 2),
            IdNumber = IdNumber.Create("452101", new DateOnly(1985, 5, 2), 124), Post = StaffPost.FullTimeTeacher,
            Education = EducationLevel.Bachelor, CountyId = c.County.Id, Established = true,
        };
        teacher.Assignments.Add(new StaffAssignment { Year = TinyCounty.Year, SchoolId = c.EastPrimary.Id, CountyId = c.County.Id });
        db.StaffMembers.Add(teacher);
        // An earlier school year with its own class and conditions, for the year switch.
        db.SchoolYears.Add(SchoolYear.For(TinyCounty.Year - 1));
        db.Classes.Add(new ClassRoom { SchoolId = c.EastPrimary.Id, Year = TinyCounty.Year - 1, Grade = Grade.G2, Name = "二(5)班" });
        db.SchoolConditions.Add(new SchoolCondition
        {
            SchoolId = c.EastPrimary.Id, Year = TinyCounty.Year - 1, TeachingArea = 1100, SportsArea = 3000, EquipmentValue = 40, MultimediaRooms = 5, CountyId = c.County.Id,
        });
        db.SchoolConditions.Add(new SchoolCondition
        {
            SchoolId = c.EastPrimary.Id, Year = TinyCounty.Year, TeachingArea = 1200, SportsArea = 3000, EquipmentValue = 45.5, MultimediaRooms = 6, CountyId = c.County.Id,
        });
        await db.SaveChangesAsync();
        ZhaoId = zhao.Id;
        TeacherId = teacher.Id;
        WangId = await db.Students.Where(s => s.StudentNo == "G4").Select(s => s.Id).SingleAsync();
    }

    public EduDbContext Open() => Database.OpenSystem(App.Database, "test");

    /// <summary>A fresh pupil at 东镇小学 for a test that changes data.</summary>
    public async Task<Student> AddPupilAsync(string name)
    {
        await using var db = Open();
        var no = $"T{Interlocked.Increment(ref _next):000}";
        var s = TinyCounty.AddPupil(db, no, name, App.County.EastPrimary, Grade.G3, App.County.County.Id);
        await db.SaveChangesAsync();
        return s;
    }

    /// <summary>A fresh teacher at 东镇小学 for a test that changes data.</summary>
    public async Task<StaffMember> AddStaffAsync(string name)
    {
        await using var db = Open();
        var c = App.County;
        var s = new StaffMember
        {
            StaffNo = $"S{Interlocked.Increment(ref _next):000}", Name = name, Gender = Gender.Male, BirthDate = new DateOnly(1990, 1, 1),
            Post = StaffPost.FullTimeTeacher, Education = EducationLevel.Bachelor, CountyId = c.County.Id, Established = true,
        };
        s.Assignments.Add(new StaffAssignment { Year = TinyCounty.Year, SchoolId = c.EastPrimary.Id, CountyId = c.County.Id });
        db.StaffMembers.Add(s);
        await db.SaveChangesAsync();
        return s;
    }

    public async Task<Student?> FindAsync(long id)
    {
        await using var db = Open();
        return await db.Students.AsNoTracking().Include(s => s.Enrollments).Include(s => s.StatusEvents).FirstOrDefaultAsync(s => s.Id == id);
    }

    /// <summary>Posts a form with the antiforgery token of <paramref name="tokenPage"/> (any page whose layout has a form).</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string tokenPage, string url, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await WebAppFactory.AntiforgeryTokenAsync(client, tokenPage);
        return await client.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    public static string Decode(string html) => WebUtility.HtmlDecode(Regex.Replace(html, @"\s+", " "));

    async Task IAsyncLifetime.DisposeAsync() => await ((IAsyncLifetime)App).DisposeAsync();
}
