using EduBureau.Core.Collection;
using EduBureau.Core.Data;
using EduBureau.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EduBureau.Web.Api;

public sealed record RoundDto(int Id, string Title, string Dataset, int Year, DateOnly Deadline, int Units, IReadOnlyDictionary<string, int> ByState, int Late);

public sealed record SubmissionDto(long Id, int UnitId, string Unit, string Township, string State, DateTime? FirstSubmittedUtc, bool Late,
    bool Overdue, int Errors, int Warnings, string? LastComment);

/// <summary>填报任务 for other systems (read only; the steps are taken on the pages): rounds and their units in the caller's scope.</summary>
public static class CollectionEndpoints
{
    public static void MapCollectionEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/collection/rounds", async Task<Ok<List<RoundDto>>> (EduDbContext db, TimeProvider clock, BureauTime time, CancellationToken ct) =>
            {
                var rounds = await CollectionRounds.ListAsync(db, time.Clock(clock), ct);
                return TypedResults.Ok(rounds.Select(r => new RoundDto(r.Id, r.Title, r.Dataset.Zh(), r.Year, r.Deadline, r.Units,
                    r.ByState.ToDictionary(x => x.Key.Zh(), x => x.Value), r.Late)).ToList());
            })
            .WithSummary("填报任务及各状态的单位数（本单位范围内）");

        api.MapGet("/collection/rounds/{id:int}/submissions", async Task<Results<Ok<List<SubmissionDto>>, NotFound>> (int id, EduDbContext db,
                TimeProvider clock, BureauTime time, CancellationToken ct) =>
            {
                if (await CollectionRounds.FindAsync(db, id, ct) is not { } round) return TypedResults.NotFound();
                var rows = await CollectionRounds.BoardAsync(db, round, time.Clock(clock), ct);
                if (rows.Count == 0) return TypedResults.NotFound();
                return TypedResults.Ok(rows.Select(r => new SubmissionDto(r.Id, r.UnitId, r.Unit, r.Township, r.State.Zh(), r.FirstSubmittedUtc,
                    r.Late, r.Overdue, r.Errors, r.Warnings, r.LastComment)).ToList());
            })
            .WithSummary("一个填报任务中各单位的填报状态（本单位范围内）");
    }
}
