using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Integrations.Core.Crypto;

namespace Integrations.Core.Audit;

/// <summary>
/// What every partition's chain looked like at the end of a seal run, signed under the audit key and appended to a
/// log a table writer cannot rewrite (<see cref="IAuditCheckpointStore"/>). <c>audit verify</c> compares the tables
/// with the latest valid checkpoint: a chain that is shorter, or gone, is reported.
/// </summary>
/// <remarks>
/// Stored as one line: <c>ihcp1 {key id} {base64 HMAC} {JSON}</c>, the HMAC over
/// <c>"ih/audit/checkpoint/v1\n{key id}\n{JSON}"</c> exactly as stored (nothing is re-serialized to verify).
/// </remarks>
public sealed record AuditCheckpoint(DateTimeOffset Time, IReadOnlyList<AuditCheckpointEntry> Partitions, string? KeyId = null)
{
    private const string Format = "ihcp1";
    private const string Label = "ih/audit/checkpoint/v1";
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>The entry of a partition, or null when the checkpoint does not name it.</summary>
    public AuditCheckpointEntry? For(string partition) => Partitions.FirstOrDefault(p => p.Partition == partition);

    /// <summary>The stored line (no line break), signed by <paramref name="key"/>.</summary>
    public string ToLine(AuditKey key)
    {
        var body = JsonSerializer.Serialize(new Body(Time.UtcTicks, Partitions.Select(p => new BodyEntry(p.Partition, p.Count, p.Head, p.SealedThroughTicks, p.SealedThroughId)).ToList()), Json);
        return $"{Format} {key.Id} {Mac(key, body)} {body}";
    }

    /// <summary>The checkpoint a line holds, or null when it is malformed or its MAC does not verify under the key it names.</summary>
    public static AuditCheckpoint? Parse(string line, IReadOnlyDictionary<string, AuditKey> keys)
    {
        var parts = line.Split(' ', 4);
        if (parts.Length != 4 || parts[0] != Format || !keys.TryGetValue(parts[1], out var key) || !AuditSignatures.Same(Mac(key, parts[3]), parts[2]))
        {
            return null;
        }

        try
        {
            var body = JsonSerializer.Deserialize<Body>(parts[3], Json);
            return body?.P is null
                ? null
                : new AuditCheckpoint(new DateTimeOffset(body.T, TimeSpan.Zero), body.P.Select(e => new AuditCheckpointEntry(e.P, e.N, e.H, e.T, e.I)).ToList(), key.Id);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Mac(AuditKey key, string body) =>
        Convert.ToBase64String(key.Mac(Encoding.UTF8.GetBytes($"{Label}\n{key.Id}\n{body}")));

    // Short names: a checkpoint names every partition, once every seal run.
    private sealed record Body(long T, List<BodyEntry> P);

    private sealed record BodyEntry(string P, long N, string H, long T, string I);
}

/// <summary>One partition in a checkpoint: how many records its chain had sealed, its head hash, and the head record.</summary>
public sealed record AuditCheckpointEntry(string Partition, long Count, string Head, long SealedThroughTicks, string SealedThroughId);
