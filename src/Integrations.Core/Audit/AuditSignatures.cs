using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Integrations.Core.Crypto;

namespace Integrations.Core.Audit;

/// <summary>
/// The audit log's HMACs under the audit key: the chain links, the chain state's MAC and the checkpoint's MAC. Each
/// names the key that made it, so a rotated key leaves everything it signed verifiable. Inputs are length-prefixed
/// fields (null distinct from empty) behind a purpose label, so no two kinds of value ever share an encoding.
/// </summary>
internal static class AuditSignatures
{
    private const string StateLabel = "ih/audit/state/v1";
    private const string GenesisLabel = "ih/audit/genesis/v1";

    /// <summary>
    /// hash_n = "{key id}:" + base64(HMAC(key, hash_{n-1} ‖ record_n)). Hashes sealed before keys could rotate have no
    /// key id; <see cref="LinkMatches"/> still accepts them.
    /// </summary>
    public static string Link(AuditKey key, string previousHash, AuditRecord record) =>
        key.Id + ":" + Convert.ToBase64String(key.Mac(LinkInput(previousHash, record)));

    /// <summary>True when <paramref name="stored"/> is the link of <paramref name="record"/> after <paramref name="previousHash"/> under one of <paramref name="keys"/>.</summary>
    public static bool LinkMatches(IReadOnlyDictionary<string, AuditKey> keys, string previousHash, AuditRecord record, string stored)
    {
        var colon = stored.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            // Sealed before keys had ids, so under the first audit key; any key of ours is as unforgeable as that one.
            var input = LinkInput(previousHash, record);
            return keys.Values.Any(k => Same(Convert.ToBase64String(k.Mac(input)), stored));
        }

        return keys.TryGetValue(stored[..colon], out var key) && Same(Link(key, previousHash, record), stored);
    }

    /// <summary>The first hash of a partition's chain.</summary>
    public static string Genesis(AuditKey key, string partition) =>
        key.Id + ":" + Convert.ToBase64String(key.Mac(Encoding.UTF8.GetBytes(GenesisLabel + "\n" + partition)));

    /// <summary>The state signed by <paramref name="key"/> (its key id set, and its MAC over every field).</summary>
    public static AuditChainState Sign(AuditKey key, AuditChainState state)
    {
        var keyed = state with { KeyId = key.Id };
        return keyed with { Mac = Convert.ToBase64String(key.Mac(StateInput(keyed))) };
    }

    /// <summary>True when the state carries a MAC that one of <paramref name="keys"/> (the one it names) made over exactly these fields.</summary>
    public static bool IsSigned(IReadOnlyDictionary<string, AuditKey> keys, AuditChainState state) =>
        state is { KeyId: { } keyId, Mac: { } mac }
        && keys.TryGetValue(keyId, out var key)
        && Same(Convert.ToBase64String(key.Mac(StateInput(state))), mac);

    public static bool Same(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    public static StringBuilder Field(this StringBuilder canonical, string? field) =>
        canonical.Append(field is null ? "-1" : field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('\n');

    public static StringBuilder Field(this StringBuilder canonical, long field) => canonical.Field(field.ToString(CultureInfo.InvariantCulture));

    private static byte[] StateInput(AuditChainState s) =>
        Encoding.UTF8.GetBytes(new StringBuilder(512).Append(StateLabel).Append('\n')
            .Field(s.Partition).Field(s.SealedThroughTime.UtcTicks).Field(s.SealedThroughId).Field(s.HeadHash).Field(s.SealedCount)
            .Field(s.AnchorTime.UtcTicks).Field(s.AnchorId).Field(s.AnchorHash).Field(s.AnchorCount).Field(s.KeyId)
            .ToString());

    private static byte[] LinkInput(string previousHash, AuditRecord record)
    {
        var canonical = new StringBuilder(512).Append(previousHash).Append('\n');
        foreach (var field in new[]
        {
            record.Id, record.Time.UtcTicks.ToString(CultureInfo.InvariantCulture), record.OrganizationId, record.ProjectId, record.Action,
            record.Outcome, record.Status.ToString(CultureInfo.InvariantCulture), record.ActorType, record.ActorId, record.Target,
            record.SourceIp, record.UserAgent, record.RequestId, record.CredentialHmac,
        })
        {
            canonical.Field(field);
        }

        if (record.Count != 1)
        {
            // Only summaries carry a count, so every record written before counts existed links exactly as it did.
            canonical.Append("count:").Append(record.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(canonical.ToString());
    }
}
