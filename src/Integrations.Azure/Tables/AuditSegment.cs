using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using Integrations.Core.Audit;

namespace Integrations.Azure.Tables;

/// <summary>
/// One row of the audit table: the records of one partition written together, as a zlib-compressed UTF-8 JSON
/// array in a binary property (≤ 64 KiB; the size limits below apply before compression). Packing a flush into one row makes an audit write one insert per partition however many
/// requests it carries. RowKey = inverted ticks of the newest record + its id, so a partition reads newest first;
/// a segment spans at most <see cref="MaxSpan"/>, which bounds how far a time-range query must look past its ends.
/// </summary>
internal static class AuditSegment
{
    public const int MaxRecords = 100;
    public const int MaxBytes = 60 * 1024;
    public static readonly TimeSpan MaxSpan = TimeSpan.FromSeconds(1);
    private const string RecordsProperty = "Records";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A segment row from records already serialized one by one (see <see cref="SerializeOne"/>).</summary>
    public static TableEntity ToEntity(string partition, IReadOnlyList<AuditRecord> records, IReadOnlyList<byte[]> serialized)
    {
        var newest = records.MaxBy(r => (r.Time, r.Id), Comparer)!;
        var json = new byte[serialized.Sum(s => s.Length + 1) + 1];
        json[0] = (byte)'[';
        var offset = 1;
        foreach (var record in serialized)
        {
            record.CopyTo(json, offset);
            offset += record.Length;
            json[offset++] = (byte)',';
        }

        json[^1] = (byte)']';
        return new TableEntity(partition, RowKey(newest.Time, newest.Id))
        {
            [RecordsProperty] = Compress(json),
            ["Count"] = records.Count,
            ["OldestTicks"] = records.Min(r => r.Time.UtcTicks),
            ["NewestTicks"] = newest.Time.UtcTicks,
        };
    }

    public static IReadOnlyList<AuditRecord> Records(TableEntity entity)
    {
        using var json = new ZLibStream(new MemoryStream(entity.GetBinary(RecordsProperty)), CompressionMode.Decompress);
        return JsonSerializer.Deserialize<List<StoredRecord>>(json, Json)!.Select(s => s.ToRecord()).ToList();
    }

    public static byte[] Serialize(IReadOnlyList<AuditRecord> records) =>
        Compress(JsonSerializer.SerializeToUtf8Bytes(records.Select(StoredRecord.From).ToList(), Json));

    /// <summary>
    /// zlib (RFC 1950): records of one partition repeat most of their fields, so a segment shrinks several-fold,
    /// and storage cost follows bytes as much as operations.
    /// </summary>
    private static byte[] Compress(byte[] json)
    {
        using var output = new MemoryStream(json.Length / 3);
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(json);
        }

        return output.ToArray();
    }

    public static byte[] SerializeOne(AuditRecord record) => JsonSerializer.SerializeToUtf8Bytes(StoredRecord.From(record), Json);

    public static string RowKey(DateTimeOffset time, string id) => Inverted(time.UtcTicks) + "_" + id;

    public static string Inverted(long ticks) => (DateTimeOffset.MaxValue.UtcTicks - ticks).ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>Chain order: time, then id.</summary>
    public static IComparer<(DateTimeOffset Time, string Id)> Comparer { get; } =
        Comparer<(DateTimeOffset Time, string Id)>.Create((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : string.CompareOrdinal(a.Id, b.Id));

    /// <summary>The stored shape of a record; field names are part of the storage format.</summary>
    private sealed record StoredRecord(
        string Id, long Ticks, string Org, string? Project, string Action, string Outcome, int Status, string ActorType, string ActorId,
        string? Target, string? SourceIp, string? UserAgent, string? RequestId, string? CredentialHmac, string? ChainHash,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Count)
    {
        // Count is written only for summaries (above 1), so ordinary records keep the version 1 shape byte for byte.
        public static StoredRecord From(AuditRecord r) => new(
            r.Id, r.Time.UtcTicks, r.OrganizationId, r.ProjectId, r.Action, r.Outcome, r.Status, r.ActorType, r.ActorId, r.Target, r.SourceIp,
            r.UserAgent, r.RequestId, r.CredentialHmac, r.ChainHash, r.Count == 1 ? null : r.Count);

        public AuditRecord ToRecord() => new(
            Id, new DateTimeOffset(Ticks, TimeSpan.Zero), Org, Project, Action, Outcome, Status, ActorType, ActorId, Target, SourceIp, UserAgent,
            RequestId, CredentialHmac, ChainHash, Count ?? 1);
    }
}
