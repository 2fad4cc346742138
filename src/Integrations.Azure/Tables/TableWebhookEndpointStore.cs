using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Integrity;
using Integrations.Core.OutboundWebhooks;

namespace Integrations.Azure.Tables;

/// <summary>
/// Outbound webhook endpoints, table <see cref="HubTables.WebhookEndpoints"/>: PartitionKey <c>{org}_{project}</c>
/// (<see cref="ProjectPartition"/>), RowKey <c>E:{endpoint id}</c>; the row is a JSON document of every field but the tenant,
/// the id and the ETag — never a secret value, only vault secret names. Get is a point read; list, list-all (the fan-out
/// and the directory's cache fill) and the quota count are one range scan of the partition's <c>E:</c> rows.
/// <para>
/// An endpoint row decides where a project's events are posted and which vault secrets sign them, so it carries a MAC
/// (<see cref="AuthorityRows.WebhookEndpointKind"/>, <c>Format</c> 2) over its organization and project — the partition it
/// was read from, never a column — its id (from the RowKey) and its document byte for byte. A row edited (another URL, a
/// header, an extra key naming another endpoint's secret), copied into another project or tenant, or written without a MAC
/// reads as absent and is reported: someone who can write to the storage account cannot redirect a project's events.
/// </para>
/// </summary>
public sealed class TableWebhookEndpointStore(HubTables tables, AuthorityRows authority) : IWebhookEndpointStore
{
    private const int NotFound = 404;

    private const string RowPrefix = "E:";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private TableClient Table => tables.WebhookEndpoints;

    public async Task<WriteOutcome> TryCreateAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var entity = await ToEntityAsync(endpoint, cancellationToken).ConfigureAwait(false);
        return await TableWrites.TryAsync(() => Table.AddEntityAsync(entity, cancellationToken)).ConfigureAwait(false);
    }

    public async Task<WebhookEndpoint?> GetAsync(string organizationId, string projectId, string endpointId, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, Partition(organizationId, projectId), RowPrefix + endpointId, null, cancellationToken)
            .ConfigureAwait(false);
        return entity is null ? null : await VerifiedAsync(entity, organizationId, projectId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<WriteOutcome> TryUpdateAsync(WebhookEndpoint updated, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(updated.ETag);
        var entity = await ToEntityAsync(updated, cancellationToken).ConfigureAwait(false);
        return await TableWrites.TryAsync(() => Table.UpdateEntityAsync(entity, new ETag(updated.ETag), TableUpdateMode.Replace, cancellationToken)).ConfigureAwait(false);
    }

    public async Task<WriteOutcome> TryDeleteAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(endpoint.ETag);
        return await TableWrites.TryDeleteAsync(Table, Partition(endpoint.OrganizationId, endpoint.ProjectId), RowPrefix + endpoint.Id,
            new ETag(endpoint.ETag), cancellationToken).ConfigureAwait(false);
    }

    public async Task<PagedList<WebhookEndpoint>> ListAsync(string organizationId, string projectId, PageRequest page, CancellationToken cancellationToken = default)
    {
        var items = new List<WebhookEndpoint>(page.PerPage);
        long matched = 0;
        await foreach (var endpoint in QueryAsync(organizationId, projectId, cancellationToken).ConfigureAwait(false))
        {
            if (matched >= page.Skip && items.Count < page.PerPage)
            {
                items.Add(endpoint);
            }

            matched++;
        }

        return new PagedList<WebhookEndpoint>(items, page, matched);
    }

    public async Task<IReadOnlyList<WebhookEndpoint>> ListAllAsync(string organizationId, string projectId, CancellationToken cancellationToken = default)
    {
        var endpoints = new List<WebhookEndpoint>();
        await foreach (var endpoint in QueryAsync(organizationId, projectId, cancellationToken).ConfigureAwait(false))
        {
            endpoints.Add(endpoint);
        }

        return endpoints;
    }

    /// <summary>Every verified endpoint row of the project, in id order; a refused row (reported) neither shows nor counts.</summary>
    private async IAsyncEnumerable<WebhookEndpoint> QueryAsync(
        string organizationId, string projectId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(organizationId, projectId)} and RowKey ge {"E:"} and RowKey lt {"E;"}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (await VerifiedAsync(entity, organizationId, projectId, cancellationToken).ConfigureAwait(false) is { } endpoint)
            {
                yield return endpoint;
            }
        }
    }

    private static string Partition(string organizationId, string projectId) => $"{organizationId}_{projectId}";

    private async Task<TableEntity> ToEntityAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        var document = JsonSerializer.Serialize(StoredEndpoint.From(endpoint), Json);
        return new TableEntity(Partition(endpoint.OrganizationId, endpoint.ProjectId), RowPrefix + endpoint.Id)
        {
            ["Document"] = document,
            ["Mac"] = await authority.SignWebhookEndpointAsync(endpoint.OrganizationId, endpoint.ProjectId, endpoint.Id, document, cancellationToken).ConfigureAwait(false),
            ["Format"] = AuthorityRows.RowFormat,
        };
    }

    /// <summary>
    /// The endpoint if the row's MAC binds its document to where it was read — organization and project from the partition
    /// the caller read, id from its RowKey; otherwise null, after reporting it.
    /// </summary>
    private async Task<WebhookEndpoint?> VerifiedAsync(TableEntity entity, string organizationId, string projectId, CancellationToken cancellationToken)
    {
        var endpointId = entity.RowKey.StartsWith(RowPrefix, StringComparison.Ordinal) ? entity.RowKey[RowPrefix.Length..] : null;
        string? document = null;
        string? mac = null;
        int? format = null;
        try
        {
            (document, mac, format) = (entity.GetString("Document"), entity.GetString("Mac"), entity.GetInt32("Format"));
        }
        catch (InvalidOperationException)
        {
            // A column of the wrong type: refused below.
        }

        var reason = endpointId is null || document is null ? "unreadable row"
            : mac is null || format != AuthorityRows.RowFormat ? "no MAC"
            : !await authority.VerifyWebhookEndpointAsync(organizationId, projectId, endpointId, document, mac, cancellationToken).ConfigureAwait(false)
                ? "MAC mismatch (altered, or copied from another project)"
            : null;
        if (reason is null && ToEndpoint(document!, organizationId, projectId, endpointId!, entity.ETag) is { } endpoint)
        {
            return endpoint;
        }

        await authority.ReportAsync(AuthorityRows.WebhookEndpointKind, $"{organizationId}/{projectId}/{entity.RowKey}", reason ?? "unreadable document", NotFound, cancellationToken)
            .ConfigureAwait(false);
        return null;
    }

    private static WebhookEndpoint? ToEndpoint(string document, string organizationId, string projectId, string endpointId, ETag etag)
    {
        try
        {
            return JsonSerializer.Deserialize<StoredEndpoint>(document, Json) is { } s && Uri.TryCreate(s.Url, UriKind.Absolute, out var url)
                ? new WebhookEndpoint(endpointId, organizationId, projectId, url, s.Description, s.EventTypes ?? [], s.Enabled, s.DisabledReason, s.RateLimitPerSecond,
                    TimeSpan.FromMilliseconds(s.TimeoutMs), new EndpointRetryPolicy(s.RetryStrategy, s.RetryMaxAttempts),
                    new Dictionary<string, string>(s.Headers ?? new Dictionary<string, string>(), StringComparer.Ordinal), s.Keys ?? [], s.CreatedAt, s.UpdatedAt,
                    etag.ToString())
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The stored document: every field of an endpoint but its tenant, project and id (the row's keys) and its ETag.</summary>
    private sealed record StoredEndpoint(
        string Url, string? Description, IReadOnlyList<string>? EventTypes, bool Enabled, string? DisabledReason, int? RateLimitPerSecond, int TimeoutMs,
        string? RetryStrategy, int? RetryMaxAttempts, Dictionary<string, string>? Headers, IReadOnlyList<EndpointSigningKey>? Keys,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
    {
        public static StoredEndpoint From(WebhookEndpoint e) => new(
            e.Url.OriginalString, e.Description, e.EventTypes, e.Enabled, e.DisabledReason, e.RateLimitPerSecond, (int)e.Timeout.TotalMilliseconds,
            e.Retry.Strategy, e.Retry.MaxAttempts, new Dictionary<string, string>(e.Headers, StringComparer.Ordinal), e.Keys, e.CreatedAt, e.UpdatedAt);
    }
}
