using EduBureau.Core.Admission;
using EduBureau.Core.Common;
using EduBureau.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduBureau.Core.Tests.Admission;

/// <summary>Admission uploads answer bad files with one Invalid result naming every file, and store nothing.</summary>
public sealed class AdmissionUploadsTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SaveFiles_BothFilesUnreadable_InvalidNamingBothAndNothingStored(string provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        await using var db = t.Open();
        var request = new AdmissionUploadRequest(null, "admin", "某县", null, 2026, FromRoster: false);

        var result = await AdmissionUploads.SaveFilesAsync(db, new ReceivedFile("不是表格"u8.ToArray(), "计划.xlsx"),
            new ReceivedFile([0x50, 0x4B, 0x03], "考生.xlsx"), request);

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Null(result.Value);
        Assert.Contains(result.Problems(), p => p.Contains("计划.xlsx", StringComparison.Ordinal));
        Assert.Contains(result.Problems(), p => p.Contains("考生.xlsx", StringComparison.Ordinal));
        await using var check = t.Open();
        Assert.Equal(0, await check.Set<AdmissionDataset>().CountAsync());
    }
}
