using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.OutboundWebhooks;

namespace Integrations.Azure.Tables;

/// <summary>
/// The deliveries half: rows <c>D:{message id}:{endpoint id}</c>, each holding its attempts as JSON columns
/// <c>A{number:D3}</c> (at most <see cref="MaxStoredAttempts"/>; later attempts update the state but are not kept).
/// The endpoint queries (recover, the endpoint's attempts) filter the project's partition by endpoint and time: their cost
/// grows with the project's deliveries in that window, which is why they take a <c>since</c>.
/// </summary>
public sealed partial class TableOutboundStore
{
    /// <summary>Attempts kept per delivery: a row holds at most 252 properties, and the default schedule makes 8.</summary>
    public const int MaxStoredAttempts = 200;

    private const string AttemptColumnPrefix = "A";
    private static readonly JsonSerializerOptions AttemptJson = new(JsonSerializerDefaults.Web);

    public async Task CreateAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        foreach (var delivery in deliveries)
        {
            // One by one: an existing delivery must stay as it is without failing its siblings' inserts.
            await TableWrites.TryAsync(() => Table.AddEntityAsync(DeliveryRow(delivery), cancellationToken)).ConfigureAwait(false);
        }
    }

    public async Task<WebhookDelivery?> GetAsync(string organizationId, string projectId, string messageId, string endpointId, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, Partition(organizationId, projectId), DeliveryKey(messageId, endpointId), null, cancellationToken)
            .ConfigureAwait(false);
        return entity is null ? null : ToDelivery(entity, organizationId, projectId);
    }

    public async Task<WriteOutcome> RecordAttemptAsync(WebhookDelivery updated, DeliveryAttempt attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(attempt);
        var row = StateRow(updated);
        if (attempt.Number is > 0 and <= MaxStoredAttempts)
        {
            row[AttemptColumn(attempt.Number)] = JsonSerializer.Serialize(StoredAttempt.From(attempt), AttemptJson);
        }

        if (updated.ETag is { } tag)
        {
            return await TableWrites.TryAsync(() => Table.UpdateEntityAsync(row, new ETag(tag), TableUpdateMode.Merge, cancellationToken)).ConfigureAwait(false);
        }

        // The hot path (a 2xx is recorded whatever the row says): grouped with the partition's other records meanwhile.
        return await _writes.WriteAsync(row.PartitionKey, [new TableTransactionAction(TableTransactionActionType.UpdateMerge, row, ETag.All)], 0, cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<WriteOutcome> TryUpdateAsync(WebhookDelivery updated, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updated);
        var etag = updated.ETag is { } tag ? new ETag(tag) : throw new ArgumentException("A state change is conditional: the delivery needs its ETag.", nameof(updated));
        return await TableWrites.TryAsync(() => Table.UpdateEntityAsync(StateRow(updated), etag, TableUpdateMode.Merge, cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<WebhookDelivery>> ListByMessageAsync(string organizationId, string projectId, string messageId, CancellationToken cancellationToken = default) =>
        [.. (await QueryMessageDeliveriesAsync(organizationId, projectId, messageId, cancellationToken).ConfigureAwait(false)).Select(e => ToDelivery(e, organizationId, projectId))];

    public async Task<IReadOnlyList<WebhookDelivery>> ListByEndpointAsync(
        string organizationId, string projectId, string endpointId, DeliveryState? state, DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
    {
        var rows = await QueryEndpointDeliveriesAsync(organizationId, projectId, endpointId, state, byLastAttempt: false, since, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(e => ToDelivery(e, organizationId, projectId)).OrderByDescending(d => d.CreatedAt).Take(limit)];
    }

    public async Task<IReadOnlyList<DeliveryAttempt>> ListAttemptsByMessageAsync(string organizationId, string projectId, string messageId, CancellationToken cancellationToken = default)
    {
        var rows = await QueryMessageDeliveriesAsync(organizationId, projectId, messageId, cancellationToken).ConfigureAwait(false);
        return [.. rows.SelectMany(Attempts).OrderBy(a => a.At).ThenBy(a => a.Number)];
    }

    public async Task<PagedList<DeliveryAttempt>> ListAttemptsByEndpointAsync(
        string organizationId, string projectId, string endpointId, DateTimeOffset since, PageRequest page, CancellationToken cancellationToken = default)
    {
        var rows = await QueryEndpointDeliveriesAsync(organizationId, projectId, endpointId, null, byLastAttempt: true, since, cancellationToken).ConfigureAwait(false);
        var attempts = rows.SelectMany(Attempts).Where(a => a.At >= since).OrderByDescending(a => a.At).ToList();
        return new PagedList<DeliveryAttempt>([.. attempts.Skip((int)Math.Min(page.Skip, int.MaxValue)).Take(page.PerPage)], page, attempts.Count);
    }

    private async Task<List<TableEntity>> QueryMessageDeliveriesAsync(string organizationId, string projectId, string messageId, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        if (!Ids.IsValid(OutboundMessage.IdPrefix, messageId))
        {
            return rows;
        }

        var partition = Partition(organizationId, projectId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {"D:" + messageId + ":"} and RowKey lt {"D:" + messageId + ";"}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(entity);
        }

        return rows;
    }

    private async Task<List<TableEntity>> QueryEndpointDeliveriesAsync(
        string organizationId, string projectId, string endpointId, DeliveryState? state, bool byLastAttempt, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var partition = Partition(organizationId, projectId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {"D:"} and RowKey lt {"D;"} and EndpointId eq {endpointId}")
            + " and " + (byLastAttempt ? TableClient.CreateQueryFilter($"LastAttemptAt ge {since}") : TableClient.CreateQueryFilter($"CreatedAt ge {since}"));
        if (state is { } wanted)
        {
            filter += " and " + TableClient.CreateQueryFilter($"State eq {StateName(wanted)}");
        }

        var rows = new List<TableEntity>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(entity);
        }

        return rows;
    }

    private static TableEntity DeliveryRow(WebhookDelivery d)
    {
        var row = StateRow(d);
        row["MessageId"] = d.MessageId;
        row["EndpointId"] = d.EndpointId;
        row["EventType"] = d.EventType;
        row["CreatedAt"] = d.CreatedAt;
        return row;
    }

    /// <summary>
    /// The columns a state change writes (a merge leaves the attempts and the identity columns alone). Table Storage has no
    /// null: a merge simply omits a null property and the old value stays. So "none" is written as a value that reads back
    /// as null — the epoch for times, 0 for the status, "" for the reason — and a replay really clears a failure.
    /// </summary>
    private static TableEntity StateRow(WebhookDelivery d) => new(Partition(d.OrganizationId, d.ProjectId), DeliveryKey(d.MessageId, d.EndpointId))
    {
        ["State"] = StateName(d.State),
        ["Attempts"] = d.Attempts,
        ["NextAttemptAt"] = d.NextAttemptAt ?? DateTimeOffset.UnixEpoch,
        ["LastAttemptAt"] = d.LastAttemptAt ?? DateTimeOffset.UnixEpoch,
        ["LastStatusCode"] = d.LastStatusCode ?? 0,
        ["FailureReason"] = d.FailureReason ?? "",
        ["UpdatedAt"] = d.UpdatedAt,
    };

    private static WebhookDelivery ToDelivery(TableEntity e, string organizationId, string projectId) => new(
        organizationId,
        projectId,
        e.GetString("MessageId") ?? "",
        e.GetString("EndpointId") ?? "",
        e.GetString("EventType") ?? "",
        Enum.TryParse<DeliveryState>(e.GetString("State"), ignoreCase: true, out var state) ? state : DeliveryState.Pending,
        e.GetInt32("Attempts") ?? 0,
        NoneAsNull(e.GetDateTimeOffset("NextAttemptAt")),
        NoneAsNull(e.GetDateTimeOffset("LastAttemptAt")),
        e.GetInt32("LastStatusCode") is { } status and not 0 ? status : null,
        e.GetString("FailureReason") is { Length: > 0 } reason ? reason : null,
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.UnixEpoch,
        e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.UnixEpoch,
        e.ETag.ToString());

    private static DateTimeOffset? NoneAsNull(DateTimeOffset? time) => time is { } t && t > DateTimeOffset.UnixEpoch ? t : null;

    private static IEnumerable<DeliveryAttempt> Attempts(TableEntity e)
    {
        var messageId = e.GetString("MessageId") ?? "";
        var endpointId = e.GetString("EndpointId") ?? "";
        foreach (var (name, value) in e)
        {
            if (name.Length == 4 && name.StartsWith(AttemptColumnPrefix, StringComparison.Ordinal) && value is string json
                && int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                && JsonSerializer.Deserialize<StoredAttempt>(json, AttemptJson) is { } stored)
            {
                yield return stored.ToAttempt(messageId, endpointId, number);
            }
        }
    }

    private static string StateName(DeliveryState state) => state.ToString().ToLowerInvariant();

    private static string AttemptColumn(int number) => AttemptColumnPrefix + number.ToString("D3", CultureInfo.InvariantCulture);

    private static string DeliveryKey(string messageId, string endpointId) => $"D:{messageId}:{endpointId}";

    /// <summary>An attempt as its column holds it (the delivery's ids are the row's).</summary>
    private sealed record StoredAttempt(DateTimeOffset At, int? Status, double Ms, string? Body, string? Error)
    {
        public static StoredAttempt From(DeliveryAttempt a) => new(a.At, a.StatusCode, a.Duration.TotalMilliseconds,
            a.ResponseBody is { Length: > DeliveryAttempt.MaxResponseBodyChars } body ? body[..DeliveryAttempt.MaxResponseBodyChars] : a.ResponseBody, a.Error);

        public DeliveryAttempt ToAttempt(string messageId, string endpointId, int number) =>
            new(messageId, endpointId, number, At, Status, TimeSpan.FromMilliseconds(Ms), Body, Error);
    }
}
