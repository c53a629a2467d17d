using EduBureau.Core.Common;
using EduBureau.Core.Students;

namespace EduBureau.Core.Tests.Common;

public class StatusRulesTests
{
    [Theory]
    [InlineData(null, StatusEventKind.Admitted, EnrollmentStatus.InSchool)]
    [InlineData(EnrollmentStatus.InSchool, StatusEventKind.TransferOut, EnrollmentStatus.TransferredOut)]
    [InlineData(EnrollmentStatus.TransferredOut, StatusEventKind.TransferIn, EnrollmentStatus.InSchool)]
    [InlineData(EnrollmentStatus.InSchool, StatusEventKind.Suspend, EnrollmentStatus.Suspended)]
    [InlineData(EnrollmentStatus.Suspended, StatusEventKind.Resume, EnrollmentStatus.InSchool)]
    [InlineData(EnrollmentStatus.DroppedOut, StatusEventKind.Resume, EnrollmentStatus.InSchool)]
    [InlineData(EnrollmentStatus.InSchool, StatusEventKind.DropOut, EnrollmentStatus.DroppedOut)]
    [InlineData(EnrollmentStatus.InSchool, StatusEventKind.Graduate, EnrollmentStatus.Graduated)]
    public void Apply_AllowedTransition_GivesNewStatus(EnrollmentStatus? from, StatusEventKind kind, EnrollmentStatus to) =>
        Assert.Equal(to, StatusRules.Apply(from, kind));

    [Theory]
    [InlineData(EnrollmentStatus.Graduated, StatusEventKind.TransferOut)]
    [InlineData(EnrollmentStatus.DroppedOut, StatusEventKind.Graduate)]
    [InlineData(EnrollmentStatus.InSchool, StatusEventKind.Resume)]
    [InlineData(EnrollmentStatus.Suspended, StatusEventKind.Graduate)]
    [InlineData(EnrollmentStatus.Deceased, StatusEventKind.Admitted)]
    [InlineData(EnrollmentStatus.InSchool, StatusEventKind.TransferIn)]
    public void Apply_ForbiddenTransition_IsRefusedWithReason(EnrollmentStatus from, StatusEventKind kind)
    {
        Assert.Null(StatusRules.Apply(from, kind));
        Assert.Contains(kind.Zh(), StatusRules.Refusal(from, kind));
    }
}
