using System.Security.Cryptography;
using Integrations.Core.Audit;
using Integrations.Core.Crypto;

namespace Integrations.Core.Tests.Audit;

/// <summary>The chain arithmetic; the same checks run against Azurite through the CLI's `audit verify` tests.</summary>
public sealed class AuditChainTests : IDisposable
{
    private readonly AuditKey _key = new("auk_test", RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Verify_IntactChain_HasNoFinding()
    {
        var (state, records) = Chain(5);

        Assert.Null(AuditChain.VerifyPartition(_key, state, records));
    }

    [Fact]
    public void Verify_EditedRecord_NamesIt()
    {
        var (state, records) = Chain(5);
        records[2] = records[2] with { Outcome = AuditOutcomes.Success, Action = "secret.read" };

        Assert.Equal(records[2].Id, AuditChain.VerifyPartition(_key, state, records)?.RecordId);
    }

    [Fact]
    public void Verify_DeletedRecord_NamesTheRecordAfterTheGap()
    {
        var (state, records) = Chain(5);
        var next = records[3];
        records.RemoveAt(2);

        Assert.Equal(next.Id, AuditChain.VerifyPartition(_key, state, records)?.RecordId);
    }

    [Fact]
    public void Verify_NewestRecordsDeleted_IsReported()
    {
        var (state, records) = Chain(5);
        records.RemoveAt(4);

        var finding = AuditChain.VerifyPartition(_key, state, records);

        Assert.NotNull(finding);
        Assert.Contains("newest", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_UnsealedRecordInsertedAmongSealedOnes_NamesIt()
    {
        var (state, records) = Chain(5);
        var inserted = Record(records[1].Time.AddTicks(1), "aud_inserted");
        records.Insert(2, inserted);

        Assert.Equal("aud_inserted", AuditChain.VerifyPartition(_key, state, records)?.RecordId);
    }

    [Fact]
    public void Verify_ChainRecomputedWithAnotherKey_IsRejected()
    {
        var (state, records) = Chain(5);
        using var forger = new AuditKey("auk_forged", RandomNumberGenerator.GetBytes(32));
        var hash = state.AnchorHash;
        var forged = records.Select(r => r with { Action = "forged" }).Select(r => r with { ChainHash = hash = AuditChain.Link(forger, hash, r) }).ToList();

        Assert.NotNull(AuditChain.VerifyPartition(_key, state with { HeadHash = hash }, forged));
    }

    private (AuditChainState State, List<AuditRecord> Records) Chain(int count)
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var hash = "genesis";
        var records = new List<AuditRecord>();
        for (var i = 0; i < count; i++)
        {
            var record = Record(start.AddMinutes(i), $"aud_{i}");
            hash = AuditChain.Link(_key, hash, record);
            records.Add(record with { ChainHash = hash });
        }

        var last = records[^1];
        return (new AuditChainState("p", last.Time, last.Id, hash, count, DateTimeOffset.MinValue, "", "genesis"), records);
    }

    private static AuditRecord Record(DateTimeOffset time, string id) =>
        new(id, time, "org_a", "prj_a", AuditActions.SecretReveal, AuditOutcomes.Success, 200, "ApiKey", "key_a", "secret/x", "127.0.0.1", "ua", "req", null);

    public void Dispose() => _key.Dispose();
}
