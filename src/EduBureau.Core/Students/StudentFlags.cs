namespace EduBureau.Core.Students;

/// <summary>A year's 资助/关爱 flags of an enrolment as the labels the pupil page shows.</summary>
public static class StudentFlags
{
    /// <summary>The set flags in a fixed order (建档立卡 … 送教上门); empty when none is set.</summary>
    public static IReadOnlyList<string> Labels(Enrollment e)
    {
        var list = new List<string>();
        if (e.PovertyRegistered) list.Add("建档立卡");
        if (e.SubsistenceAllowance) list.Add("低保");
        if (e.ExtremePoverty) list.Add("特困供养");
        if (e.Orphan) list.Add("孤儿");
        if (e.LeftBehind) list.Add("留守儿童");
        if (e.Migrant) list.Add("随迁子女");
        if (e.HomeSchooling) list.Add("送教上门");
        return list;
    }
}
