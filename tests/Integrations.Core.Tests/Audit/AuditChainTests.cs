using System.Security.Cryptography;
using Integrations.Core.Audit;
using Integrations.Core.Crypto;

namespace Integrations.Core.Tests.Audit;

/// <summary>The chain arithmetic; the same checks run against Azurite in the Azure attack tests and the CLI's `audit verify` tests.</summary>
public sealed class AuditChainTests : IDisposable
{
    private readonly AuditKey _key = new("auk_test", RandomNumberGenerator.GetBytes(32));
    private readonly AuditKey _nextKey = new("auk_next", RandomNumberGenerator.GetBytes(32));

    private Dictionary<string, AuditKey> Keys => new(StringComparer.Ordinal) { [_key.Id] = _key, [_nextKey.Id] = _nextKey };

    [Fact]
    public void Verify_IntactChain_HasNoFinding()
    {
        var (state, records) = Chain(5);

        Assert.Null(Verify(state, records));
    }

    [Fact]
    public void Verify_EditedRecord_NamesIt()
    {
        var (state, records) = Chain(5);
        records[2] = records[2] with { Outcome = AuditOutcomes.Success, Action = "secret.read" };

        Assert.Equal(records[2].Id, Verify(state, records)?.RecordId);
    }

    [Fact]
    public void Verify_DeletedRecord_NamesTheRecordAfterTheGap()
    {
        var (state, records) = Chain(5);
        var next = records[3];
        records.RemoveAt(2);

        Assert.Equal(next.Id, Verify(state, records)?.RecordId);
    }

    [Fact]
    public void Verify_NewestRecordsDeleted_IsReported()
    {
        var (state, records) = Chain(5);
        records.RemoveAt(4);

        var finding = Verify(state, records);

        Assert.NotNull(finding);
        Assert.Contains("newest", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_UnsealedRecordInsertedAmongSealedOnes_NamesIt()
    {
        var (state, records) = Chain(5);
        var inserted = Record(records[1].Time.AddTicks(1), "aud_inserted");
        records.Insert(2, inserted);

        Assert.Equal("aud_inserted", Verify(state, records)?.RecordId);
    }

    [Fact]
    public void Verify_ChainRecomputedWithAnotherKey_IsRejected()
    {
        var (state, records) = Chain(5);
        using var forger = new AuditKey("auk_test", RandomNumberGenerator.GetBytes(32));
        var hash = state.AnchorHash;
        var forged = records.Select(r => r with { Action = "forged" }).Select(r => r with { ChainHash = hash = AuditSignatures.Link(forger, hash, r) }).ToList();

        Assert.NotNull(Verify(state with { HeadHash = hash }, forged));
    }

    [Fact]
    public void Verify_SealedRecordPastTheHead_IsReported()
    {
        var (state, records) = Chain(5);
        var rolledBack = state with { SealedThroughTime = records[2].Time, SealedThroughId = records[2].Id, HeadHash = records[2].ChainHash!, SealedCount = 3 };

        Assert.Equal(records[3].Id, Verify(rolledBack, records)?.RecordId);
    }

    [Fact]
    public void Verify_CountBelowTheState_IsReported()
    {
        var (state, records) = Chain(5);

        Assert.Contains("counts 6", Verify(state with { SealedCount = 6 }, records)?.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_LinksUnderAnEarlierKey_StillVerifyAfterRotation()
    {
        var (state, records) = Chain(3);
        var hash = state.HeadHash;
        for (var i = 3; i < 5; i++)
        {
            var record = Record(records[^1].Time.AddMinutes(1), $"aud_{i}");
            records.Add(record with { ChainHash = hash = AuditSignatures.Link(_nextKey, hash, record) });
        }

        var rotated = state with { SealedThroughTime = records[^1].Time, SealedThroughId = records[^1].Id, HeadHash = hash, SealedCount = 5 };

        Assert.Null(Verify(rotated, records));
        Assert.StartsWith("auk_test:", records[0].ChainHash, StringComparison.Ordinal);
        Assert.StartsWith("auk_next:", records[^1].ChainHash, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_AnyFieldChanged_NoLongerVerifies()
    {
        var (state, _) = Chain(3);
        var signed = AuditSignatures.Sign(_key, state with { AnchorCount = 0 });

        Assert.True(AuditSignatures.IsSigned(Keys, signed));
        Assert.False(AuditSignatures.IsSigned(Keys, signed with { Partition = "other" }));
        Assert.False(AuditSignatures.IsSigned(Keys, signed with { SealedCount = 2 }));
        Assert.False(AuditSignatures.IsSigned(Keys, signed with { AnchorCount = 1 }));
        Assert.False(AuditSignatures.IsSigned(Keys, signed with { KeyId = _nextKey.Id }));
        Assert.False(AuditSignatures.IsSigned(Keys, signed with { Mac = null }));
    }

    [Fact]
    public void Checkpoint_RoundTrips_AndAnEditedLineIsRejected()
    {
        var checkpoint = new AuditCheckpoint(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), [new AuditCheckpointEntry("org_a_org", 3, "auk_test:abc", 42, "aud_2")]);

        var line = checkpoint.ToLine(_key);
        var parsed = AuditCheckpoint.Parse(line, Keys);

        Assert.Equal(3, parsed?.For("org_a_org")?.Count);
        Assert.Equal(_key.Id, parsed?.KeyId);
        Assert.Null(AuditCheckpoint.Parse(line.Replace("\"N\":3", "\"N\":2", StringComparison.Ordinal), Keys));
        Assert.Null(AuditCheckpoint.Parse(line, new Dictionary<string, AuditKey> { [_nextKey.Id] = _nextKey }));
    }

    private AuditChainFinding? Verify(AuditChainState state, IEnumerable<AuditRecord> records)
    {
        var walk = new AuditChainWalk(state, Keys, checkpoint: null);
        foreach (var record in records)
        {
            walk.Add(record);
        }

        return walk.Finish(checkCount: true);
    }

    private (AuditChainState State, List<AuditRecord> Records) Chain(int count)
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var hash = AuditSignatures.Genesis(_key, "p");
        var genesis = hash;
        var records = new List<AuditRecord>();
        for (var i = 0; i < count; i++)
        {
            var record = Record(start.AddMinutes(i), $"aud_{i}");
            hash = AuditSignatures.Link(_key, hash, record);
            records.Add(record with { ChainHash = hash });
        }

        var last = records[^1];
        return (new AuditChainState("p", last.Time, last.Id, hash, count, DateTimeOffset.MinValue, "", genesis), records);
    }

    private static AuditRecord Record(DateTimeOffset time, string id) =>
        new(id, time, "org_a", "prj_a", AuditActions.SecretReveal, AuditOutcomes.Success, 200, "ApiKey", "key_a", "secret/x", "127.0.0.1", "ua", "req", null);

    public void Dispose()
    {
        _key.Dispose();
        _nextKey.Dispose();
    }
}
