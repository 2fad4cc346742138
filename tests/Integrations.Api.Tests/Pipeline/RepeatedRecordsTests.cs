using Integrations.Api.Pipeline;
using Integrations.Core.Audit;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Api.Tests.Pipeline;

public sealed class RepeatedRecordsTests
{
    private static readonly AuditEvent Summary = new(AuditPartition.Platform, null, AuditActions.AuthenticationFailures, AuditOutcomes.Unauthenticated, 401,
        "anonymous", "repeated", SourceIp: "192.0.2.1");

    [Fact]
    public void IsRepeat_FirstRefusalOpensTheWindow_RestAreCountedIntoOneSummaryWhenItEnds()
    {
        var time = new FakeTimeProvider();
        var refusals = new RepeatedRecords(time);

        var first = refusals.IsRepeat("address:192.0.2.1", Summary);
        var repeats = Enumerable.Range(0, 199).Count(_ => refusals.IsRepeat("address:192.0.2.1", Summary));
        var beforeTheWindowEnds = refusals.TakeSummaries();
        time.Advance(TimeSpan.FromMinutes(1));
        var after = refusals.TakeSummaries();

        Assert.False(first);
        Assert.Equal(199, repeats);
        Assert.Empty(beforeTheWindowEnds);
        var summary = Assert.Single(after);
        Assert.Equal(199, summary.Count);
        Assert.Equal(AuditActions.AuthenticationFailures, summary.Action);
    }

    [Fact]
    public void IsRepeat_AfterTheWindow_OpensANewOne_AndTheOldSummaryIsKept()
    {
        var time = new FakeTimeProvider();
        var refusals = new RepeatedRecords(time);
        refusals.IsRepeat("a", Summary);
        refusals.IsRepeat("a", Summary);
        time.Advance(TimeSpan.FromSeconds(61));

        var reopened = refusals.IsRepeat("a", Summary);

        Assert.False(reopened);
        Assert.Equal(1, Assert.Single(refusals.TakeSummaries(all: true)).Count);
    }

    [Fact]
    public void IsRepeat_SourcesAreCountedSeparately_AndALoneRefusalNeedsNoSummary()
    {
        var refusals = new RepeatedRecords(new FakeTimeProvider());
        refusals.IsRepeat("a", Summary);
        refusals.IsRepeat("a", Summary);
        refusals.IsRepeat("b", Summary);

        var summaries = refusals.TakeSummaries(all: true);

        Assert.Equal(1, Assert.Single(summaries).Count);
    }

    [Fact]
    public void IsRepeat_PastMaxSources_FurtherSourcesShareOneSummary()
    {
        var refusals = new RepeatedRecords(new FakeTimeProvider());
        for (var i = 0; i < RepeatedRecords.MaxSources; i++)
        {
            refusals.IsRepeat($"s{i}", Summary);
        }

        var firstOverflow = refusals.IsRepeat("one-more", Summary);
        var secondOverflow = refusals.IsRepeat("and-another", Summary);

        Assert.False(firstOverflow);
        Assert.True(secondOverflow);
        var shared = Assert.Single(refusals.TakeSummaries(all: true));
        Assert.Null(shared.SourceIp);
    }

    [Fact]
    public void Return_KeepsUnwrittenSummariesForTheNextFlush()
    {
        var refusals = new RepeatedRecords(new FakeTimeProvider());
        refusals.IsRepeat("a", Summary);
        refusals.IsRepeat("a", Summary);
        var taken = refusals.TakeSummaries(all: true);

        refusals.Return(taken);

        Assert.Single(refusals.TakeSummaries());
    }

    [Fact]
    public void Return_PastMaxPendingSummaries_FoldsTheRestIntoOnePerAction_KeepingEveryCount()
    {
        var refusals = new RepeatedRecords(new FakeTimeProvider());
        var unwritten = Enumerable.Range(0, RepeatedRecords.MaxPendingSummaries + 500).Select(i => Summary with { SourceIp = $"s{i}", Count = 2 }).ToList();

        refusals.Return(unwritten);
        var pending = refusals.TakeSummaries();

        Assert.Equal(RepeatedRecords.MaxPendingSummaries + 1, pending.Count);
        Assert.Equal(unwritten.Sum(s => s.Count), pending.Sum(s => s.Count));
        Assert.Equal(1000, Assert.Single(pending, s => s.SourceIp is null).Count);
    }

    [Fact]
    public void IsRepeatWithinTenant_PastMaxSources_RecordsInFullRatherThanSharingAWindowWithAnotherTenant()
    {
        var repeated = new RepeatedRecords(new FakeTimeProvider());
        for (var i = 0; i < RepeatedRecords.MaxSources; i++)
        {
            repeated.IsRepeatWithinTenant($"s{i}", Send("org_a"));
        }

        var otherTenant = Enumerable.Range(0, 3).Select(_ => repeated.IsRepeatWithinTenant("org_b-sender", Send("org_b"))).ToList();

        Assert.All(otherTenant, Assert.False);
        Assert.DoesNotContain(repeated.TakeSummaries(all: true), s => s.OrganizationId == "org_a" && s.ActorId != "key_a");
    }

    [Fact]
    public void Return_PastMaxPendingSummaries_FoldsOnlySummariesOfTheSameLog()
    {
        var repeated = new RepeatedRecords(new FakeTimeProvider());
        var unwritten = Enumerable.Range(0, RepeatedRecords.MaxPendingSummaries)
            .Select(i => Send("org_a") with { Count = 1 })
            .Concat([Send("org_a") with { Count = 5 }, Send("org_b") with { Count = 7 }])
            .ToList();

        repeated.Return(unwritten);
        var pending = repeated.TakeSummaries();

        // Each tenant's overflow is folded into a summary of its own log: no count moves to another organization's.
        Assert.Equal(5, Assert.Single(pending, s => s.OrganizationId == "org_a" && s.Count == 5).Count);
        Assert.Equal(7, Assert.Single(pending, s => s.OrganizationId == "org_b").Count);
    }

    private static AuditEvent Send(string organizationId) =>
        new(organizationId, "prj_1", AuditActions.MessageSend, AuditOutcomes.Success, 202, "ApiKey", organizationId == "org_a" ? "key_a" : "key_b");
}
