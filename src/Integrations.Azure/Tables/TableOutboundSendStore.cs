using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Sends;

namespace Integrations.Azure.Tables;

/// <summary>
/// Direct sends, one row each: PartitionKey <c>{org}_{project}</c> (<see cref="ProjectPartition"/>), RowKey the send id.
/// <c>GET …/sends/{id}</c> and every queued attempt are one point read; an attempt is recorded by replacing the row on its
/// ETag. Attempts are columns <c>A1</c>…<c>A10</c> (a JSON document each, the response body at most 4 KiB, well inside a
/// property's 64 KiB); the sealed request is split over binary columns <c>R0</c>, <c>R1</c> … of at most 60 KiB (a binary
/// property holds 64 KiB), so a body up to the send limit fits the 1 MiB entity. Nothing here is plain but ids, states,
/// status codes, the receiver's scheme/host/port and the receivers' answers. The retention job scans across partitions
/// by <c>CreatedAt</c>; no other query crosses tenants.
/// </summary>
public sealed class TableOutboundSendStore(HubTables tables) : IOutboundSendStore
{
    private const int ChunkBytes = 60 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly string[] KeyColumns = ["PartitionKey", "RowKey"];

    private TableClient Table => tables.OutboundSends;

    public Task<WriteOutcome> TryCreateAsync(OutboundSend send, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(send);
        return TableWrites.TryAsync(() => Table.AddEntityAsync(ToEntity(send), cancellationToken));
    }

    public async Task<OutboundSend?> GetAsync(string organizationId, string projectId, string sendId, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, Partition(organizationId, projectId), sendId, null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : FromEntity(entity, organizationId, projectId);
    }

    public Task<WriteOutcome> TryUpdateAsync(OutboundSend send, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(send);
        var etag = send.ETag is { } tag ? new ETag(tag) : throw new ArgumentException("An update needs the ETag the send was read with.", nameof(send));
        return TableWrites.TryAsync(() => Table.UpdateEntityAsync(ToEntity(send), etag, TableUpdateMode.Replace, cancellationToken));
    }

    public async Task<int> DeleteCreatedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"CreatedAt lt {cutoff}");
        var expired = new List<TableEntity>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, select: KeyColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            expired.Add(entity);
        }

        foreach (var partition in expired.GroupBy(e => e.PartitionKey, StringComparer.Ordinal))
        {
            await TableWrites.DeleteAllAsync(Table, partition, cancellationToken).ConfigureAwait(false);
        }

        return expired.Count;
    }

    private static string Partition(string organizationId, string projectId) => organizationId + "_" + projectId;

    private static TableEntity ToEntity(OutboundSend send)
    {
        var entity = new TableEntity(Partition(send.OrganizationId, send.ProjectId), send.Id)
        {
            ["Mode"] = send.Mode.ToString(),
            ["Method"] = send.Method,
            ["Target"] = send.Target,
            ["ConnectionId"] = send.ConnectionId,
            ["State"] = send.State.ToString(),
            ["MaxAttempts"] = send.Retry.MaxAttempts,
            ["BackoffMs"] = send.Retry.BackoffMs,
            ["Strategy"] = send.Retry.Strategy,
            ["TimeoutMs"] = (int)send.Timeout.TotalMilliseconds,
            ["Reason"] = send.Reason,
            ["CreatedAt"] = send.CreatedAt,
            ["UpdatedAt"] = send.UpdatedAt,
            ["NextAttemptAt"] = send.NextAttemptAt,
            ["AttemptCount"] = send.Attempts.Count,
        };
        foreach (var attempt in send.Attempts)
        {
            entity["A" + attempt.Number.ToString(CultureInfo.InvariantCulture)] = JsonSerializer.Serialize(attempt, Json);
        }

        var parts = 0;
        for (var offset = 0; offset < send.SealedRequest.Length; offset += ChunkBytes)
        {
            entity["R" + parts.ToString(CultureInfo.InvariantCulture)] = send.SealedRequest.AsSpan(offset, Math.Min(ChunkBytes, send.SealedRequest.Length - offset)).ToArray();
            parts++;
        }

        entity["RequestParts"] = parts;
        return entity;
    }

    private static OutboundSend FromEntity(TableEntity e, string organizationId, string projectId)
    {
        var count = e.GetInt32("AttemptCount") ?? 0;
        var attempts = new List<SendAttempt>(count);
        for (var i = 1; i <= count; i++)
        {
            if (e.GetString("A" + i.ToString(CultureInfo.InvariantCulture)) is { } json && JsonSerializer.Deserialize<SendAttempt>(json, Json) is { } attempt)
            {
                attempts.Add(attempt);
            }
        }

        using var sealedRequest = new MemoryStream();
        var parts = e.GetInt32("RequestParts") ?? 0;
        for (var i = 0; i < parts; i++)
        {
            sealedRequest.Write(e.GetBinary("R" + i.ToString(CultureInfo.InvariantCulture)) ?? []);
        }

        return new OutboundSend(
            e.RowKey, organizationId, projectId,
            Enum.TryParse<SendMode>(e.GetString("Mode"), out var mode) ? mode : SendMode.Blocking,
            e.GetString("Method") ?? "POST",
            e.GetString("Target") ?? "",
            e.GetString("ConnectionId"),
            Enum.TryParse<SendState>(e.GetString("State"), out var state) ? state : SendState.Failed,
            new SendRetry(e.GetInt32("MaxAttempts") ?? 1, e.GetInt32("BackoffMs"), e.GetString("Strategy")),
            TimeSpan.FromMilliseconds(e.GetInt32("TimeoutMs") ?? SendRules.DefaultTimeoutMs),
            attempts,
            e.GetString("Reason"),
            e.GetDateTimeOffset("CreatedAt") ?? e.Timestamp ?? DateTimeOffset.MinValue,
            e.GetDateTimeOffset("UpdatedAt") ?? e.Timestamp ?? DateTimeOffset.MinValue,
            e.GetDateTimeOffset("NextAttemptAt"),
            sealedRequest.ToArray(),
            e.ETag.ToString());
    }
}
