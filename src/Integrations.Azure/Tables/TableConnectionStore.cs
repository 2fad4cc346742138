using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.Integrity;

namespace Integrations.Azure.Tables;

/// <summary>
/// Connections in one table. PartitionKey = <c>{org}_{project}</c>: a project's connections are one partition, so the
/// rows of one connection are written together in entity-group transactions and no query crosses tenants or projects.
/// <list type="bullet">
/// <item>RowKey <c>C:{connection id}</c>: the configuration (what a user edits), with its own ETag.</item>
/// <item>RowKey <c>N:{name}</c>: the claim on the name, holding the id. Created with the configuration in one
/// transaction and moved with it on a rename, so a name is unique per project without a query.</item>
/// <item>RowKey <c>T:{connection id}</c>: the state (status, token timing, last error …), with an ETag of its own, so a
/// token refresh writing the state never conflicts with a user editing the configuration, nor the reverse.</item>
/// </list>
/// Queries: get = two point reads (<c>C:</c> and <c>T:</c>) issued together — one round trip of latency, and cheaper for
/// the service than a partition query with an OR on RowKey, which it may answer by scanning the partition; list = one
/// range query over the project's <c>C:</c> rows (filtered by <c>EndUserId</c> on the service when asked; only this
/// partition is read), then point reads of the page's <c>T:</c> rows. Ids and names use only characters below '~', and
/// ':' → ';' gives the range bounds.
/// <para>
/// The configuration row decides where injected credentials and tokens go (base URL, type, provider, secret references,
/// API-key placement, default headers, policy, end user), so it carries a MAC (<see cref="AuthorityRows.ConnectionKind"/>,
/// <c>Format</c> 2) over every configuration field, with the organization and project it was read under and the id in its
/// RowKey. A row edited, copied into another project or written without a MAC reads as absent (404) and is reported. The
/// state row is not MAC'd: it names no destination and no credential (tokens are sealed in the vault under the connection's
/// own name; whether the connection is enabled is the configuration's <c>Enabled</c>), so a writer who changes it changes
/// what is shown and when a refresh is tried — nothing they could not also do by deleting rows. Name claims are not MAC'd
/// either: nothing is found through them, they only keep names unique.
/// </para>
/// </summary>
public sealed class TableConnectionStore(HubTables tables, AuthorityRows authority) : IConnectionStore, IConnectionScan
{
    private const int NotFound = 404;

    private static readonly string[] NameColumn = ["Name"];

    private static readonly string[] KeyColumns = ["PartitionKey", "RowKey"];

    private TableClient Table => tables.Connections;

    public async Task<WriteOutcome> TryCreateAsync(Connection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var partition = Partition(connection.OrganizationId, connection.ProjectId);
        return await TableWrites.TryTransactionAsync(Table,
        [
            new(TableTransactionActionType.Add, await ToEntityAsync(connection, cancellationToken).ConfigureAwait(false)),
            new(TableTransactionActionType.Add, NameClaim(partition, connection.Name, connection.Id)),
            new(TableTransactionActionType.Add, ToEntity(partition, connection.Id, connection.State)),
        ], cancellationToken).ConfigureAwait(false);
    }

    public async Task<Connection?> GetAsync(string organizationId, string projectId, string connectionId, CancellationToken cancellationToken = default)
    {
        var partition = Partition(organizationId, projectId);
        var config = TableWrites.GetOrDefaultAsync<TableEntity>(Table, partition, ConfigKey(connectionId), null, cancellationToken);
        var state = TableWrites.GetOrDefaultAsync<TableEntity>(Table, partition, StateKey(connectionId), null, cancellationToken);
        await Task.WhenAll(config, state).ConfigureAwait(false);
        var configRow = await config.ConfigureAwait(false);
        return configRow is null ? null : await VerifiedAsync(configRow, organizationId, projectId, await state.ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    public async Task<WriteOutcome> TryUpdateAsync(Connection updated, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(updated.ETag);
        var partition = Partition(updated.OrganizationId, updated.ProjectId);
        // The stored name, to move the claim on a rename. Read apart from the write: the write below is conditional on the
        // ETag the caller read, so a configuration changed in between (a rename included) makes it fail, never misplace a claim.
        var stored = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, partition, ConfigKey(updated.Id), NameColumn, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return WriteOutcome.NotFound;
        }

        var storedName = stored.GetString("Name");
        var entity = await ToEntityAsync(updated, cancellationToken).ConfigureAwait(false);
        if (string.Equals(storedName, updated.Name, StringComparison.Ordinal))
        {
            return await TableWrites.TryAsync(() => Table.UpdateEntityAsync(entity, new ETag(updated.ETag), TableUpdateMode.Replace, cancellationToken))
                .ConfigureAwait(false);
        }

        return await TableWrites.TryTransactionAsync(Table,
        [
            new(TableTransactionActionType.UpdateReplace, entity, new ETag(updated.ETag)),
            new(TableTransactionActionType.Delete, new TableEntity(partition, NameKey(storedName)), ETag.All),
            new(TableTransactionActionType.Add, NameClaim(partition, updated.Name, updated.Id)),
        ], cancellationToken).ConfigureAwait(false);
    }

    public Task<WriteOutcome> TryUpdateStateAsync(string organizationId, string projectId, string connectionId, ConnectionState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var entity = ToEntity(Partition(organizationId, projectId), connectionId, state);
        return state.ETag is null
            ? TableWrites.TryAsync(() => Table.AddEntityAsync(entity, cancellationToken))
            : TableWrites.TryAsync(() => Table.UpdateEntityAsync(entity, new ETag(state.ETag), TableUpdateMode.Replace, cancellationToken));
    }

    public Task<WriteOutcome> TryDeleteAsync(Connection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(connection.ETag);
        var partition = Partition(connection.OrganizationId, connection.ProjectId);
        // Conditional on the configuration's ETag: the name claim deleted is the one that configuration holds.
        return TableWrites.TryTransactionAsync(Table,
        [
            new(TableTransactionActionType.Delete, new TableEntity(partition, ConfigKey(connection.Id)), new ETag(connection.ETag)),
            new(TableTransactionActionType.Delete, new TableEntity(partition, NameKey(connection.Name)), ETag.All),
            new(TableTransactionActionType.Delete, new TableEntity(partition, StateKey(connection.Id)), ETag.All),
        ], cancellationToken);
    }

    public async Task<PagedList<Connection>> ListAsync(string organizationId, string projectId, ConnectionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var partition = Partition(organizationId, projectId);
        var filter = query.EndUserId is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {"C:"} and RowKey lt {"C;"}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {"C:"} and RowKey lt {"C;"} and EndUserId eq {query.EndUserId}");

        // One pass: every verified match counts for the total, only the page's rows are kept. A refused row (reported) neither
        // shows nor counts.
        var page = new List<Connection>(query.Page.PerPage);
        long matched = 0;
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (await VerifiedAsync(entity, organizationId, projectId, null, cancellationToken).ConfigureAwait(false) is not { } connection)
            {
                continue;
            }

            if (matched >= query.Page.Skip && page.Count < query.Page.PerPage)
            {
                page.Add(connection);
            }

            matched++;
        }

        var states = await Task.WhenAll(page.Select(c =>
            TableWrites.GetOrDefaultAsync<TableEntity>(Table, partition, StateKey(c.Id), null, cancellationToken))).ConfigureAwait(false);
        var items = page.Select((c, i) => states[i] is { } state ? c with { State = ToState(state) } : c).ToList();
        return new PagedList<Connection>(items, query.Page, matched);
    }

    /// <summary>
    /// A scan across partitions of the configuration rows with <c>Enabled</c> true, filtered by the service and paged by it
    /// (keys only). A daily job's read, like the provider store's expiry scan. The column is a hint: the caller reads each
    /// connection through <see cref="GetAsync"/>, which verifies its MAC (an edited <c>Enabled</c> makes it absent).
    /// </summary>
    public async IAsyncEnumerable<ConnectionLocation> ListEnabledAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey ge {"C:"} and RowKey lt {"C;"} and Enabled eq {true}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: KeyColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (ProjectPartition.IsWellFormed(entity.PartitionKey))
            {
                var (organizationId, projectId) = ProjectPartition.Split(entity.PartitionKey);
                yield return new ConnectionLocation(organizationId, projectId, entity.RowKey[2..]);
            }
        }
    }

    private static string Partition(string organizationId, string projectId) => $"{organizationId}_{projectId}";

    private static string ConfigKey(string connectionId) => "C:" + connectionId;

    private static string NameKey(string name) => "N:" + name;

    private static string StateKey(string connectionId) => "T:" + connectionId;

    private static TableEntity NameClaim(string partition, string name, string connectionId) => new(partition, NameKey(name)) { ["ConnectionId"] = connectionId };

    private async Task<TableEntity> ToEntityAsync(Connection c, CancellationToken cancellationToken)
    {
        var entity = ToEntity(c);
        entity["Mac"] = await authority.SignAsync(c, cancellationToken).ConfigureAwait(false);
        entity["Format"] = AuthorityRows.RowFormat;
        return entity;
    }

    /// <summary>
    /// The connection if the row's MAC covers its configuration as read — organization and project from where the row sits,
    /// id from its RowKey; otherwise null, after reporting it.
    /// </summary>
    private async Task<Connection?> VerifiedAsync(TableEntity entity, string organizationId, string projectId, TableEntity? state, CancellationToken cancellationToken)
    {
        Connection? connection;
        string? mac;
        int? format;
        try
        {
            connection = ToConnection(entity, organizationId, projectId, state);
            (mac, format) = (entity.GetString("Mac"), entity.GetInt32("Format"));
        }
        catch (Exception ex) when (ex is InvalidOperationException or InvalidDataException or JsonException or UriFormatException or FormatException)
        {
            (connection, mac, format) = (null, null, null); // A column of the wrong type or form.
        }

        var reason = connection is null ? "unreadable row"
            : mac is null || format != AuthorityRows.RowFormat ? "no MAC"
            : !await authority.VerifyAsync(connection, mac, cancellationToken).ConfigureAwait(false) ? "MAC mismatch (altered, or copied from another project)"
            : null;
        if (reason is null)
        {
            return connection;
        }

        await authority.ReportAsync(AuthorityRows.ConnectionKind, $"{organizationId}/{projectId}/{entity.RowKey}", reason, NotFound, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private static TableEntity ToEntity(Connection c) => new(Partition(c.OrganizationId, c.ProjectId), ConfigKey(c.Id))
    {
        ["Name"] = c.Name,
        ["Type"] = ConnectionTypes.NameOf(c.Type),
        ["ProviderId"] = c.ProviderId,
        ["Description"] = c.Description,
        ["BaseUrl"] = c.BaseUrl?.OriginalString,
        ["DefaultHeaders"] = c.DefaultHeaders.Count == 0 ? null : JsonSerializer.Serialize(c.DefaultHeaders),
        ["TimeoutMs"] = (long)c.Timeout.TotalMilliseconds,
        ["Retries"] = c.Retries,
        ["RetryStrategy"] = c.RetryStrategy,
        ["Enabled"] = c.Enabled,
        ["SecretRefs"] = JsonSerializer.Serialize(c.SecretRefs),
        ["ApiKeyIn"] = c.ApiKey is null ? null : ApiKeyPlacementInput.NameOf(c.ApiKey.In),
        ["ApiKeyName"] = c.ApiKey?.Name,
        ["Scopes"] = c.Scopes.Count == 0 ? null : JsonSerializer.Serialize(c.Scopes),
        ["EndUserId"] = c.EndUser?.Id,
        ["EndUserDisplayName"] = c.EndUser?.DisplayName,
        ["Policy"] = c.Policy.Count == 0 ? null : JsonSerializer.Serialize(c.Policy.Select(r => new StoredRule(ProxyRuleInput.NameOf(r.Effect), r.Methods, r.PathGlob))),
        ["TestMethod"] = c.TestMethod,
        ["TestPath"] = c.TestPath,
        ["CreatedBy"] = c.CreatedBy,
        ["CreatedAt"] = c.CreatedAt,
        ["UpdatedAt"] = c.UpdatedAt,
    };

    private static TableEntity ToEntity(string partition, string connectionId, ConnectionState s) => new(partition, StateKey(connectionId))
    {
        ["Status"] = ConnectionStatuses.NameOf(s.Status),
        ["StatusReason"] = s.StatusReason,
        ["AuthorizedBy"] = s.AuthorizedBy,
        ["AccountSubject"] = s.Account?.Subject,
        ["AccountEmail"] = s.Account?.Email,
        ["AccountName"] = s.Account?.Name,
        ["GrantedScopes"] = s.GrantedScopes.Count == 0 ? null : JsonSerializer.Serialize(s.GrantedScopes),
        ["ExpiresAt"] = s.ExpiresAt,
        ["LastRefreshedAt"] = s.LastRefreshedAt,
        ["NextRefreshAt"] = s.NextRefreshAt,
        ["LastUsedAt"] = s.LastUsedAt,
        ["LastTestedAt"] = s.LastTestedAt,
        ["LastTestSucceeded"] = s.LastTestSucceeded,
        ["LastError"] = s.LastError,
        ["ApiDeprecationSeenAt"] = s.ApiDeprecationSeenAt,
    };

    /// <summary>Tenant and project come from where the row sits (its PartitionKey, given by the caller), the id from its RowKey — never from columns.</summary>
    private static Connection ToConnection(TableEntity e, string organizationId, string projectId, TableEntity? state)
    {
        if (!ConnectionTypes.TryParse(e.GetString("Type"), out var type))
        {
            throw new InvalidDataException($"Connection row {e.RowKey} has an unknown type.");
        }

        var apiKeyIn = e.GetString("ApiKeyIn");
        var endUserId = e.GetString("EndUserId");
        var baseUrl = e.GetString("BaseUrl");
        return new Connection
        {
            Id = e.RowKey[2..],
            OrganizationId = organizationId,
            ProjectId = projectId,
            Name = e.GetString("Name"),
            Type = type,
            ProviderId = e.GetString("ProviderId"),
            Description = e.GetString("Description"),
            BaseUrl = baseUrl is null ? null : new Uri(baseUrl, UriKind.Absolute),
            DefaultHeaders = new Dictionary<string, string>(Json<Dictionary<string, string>>(e.GetString("DefaultHeaders")) ?? [], StringComparer.OrdinalIgnoreCase),
            Timeout = TimeSpan.FromMilliseconds(e.GetInt64("TimeoutMs") ?? (long)Connection.DefaultTimeout.TotalMilliseconds),
            Retries = e.GetInt32("Retries") ?? Connection.DefaultRetries,
            RetryStrategy = e.GetString("RetryStrategy"),
            Enabled = e.GetBoolean("Enabled") ?? true,
            SecretRefs = new Dictionary<string, string>(Json<Dictionary<string, string>>(e.GetString("SecretRefs")) ?? [], StringComparer.Ordinal),
            ApiKey = apiKeyIn is null ? null : new ApiKeyPlacement(apiKeyIn == ApiKeyPlacementInput.Query ? ApiKeyLocation.Query : ApiKeyLocation.Header, e.GetString("ApiKeyName")),
            Scopes = Json<List<string>>(e.GetString("Scopes")) ?? [],
            EndUser = endUserId is null ? null : new EndUser(endUserId, e.GetString("EndUserDisplayName")),
            Policy = (Json<List<StoredRule>>(e.GetString("Policy")) ?? [])
                .Select(r => new ProxyRule(r.Effect == ProxyRuleInput.Deny ? ProxyRuleEffect.Deny : ProxyRuleEffect.Allow, r.Methods, r.Path)).ToList(),
            TestMethod = e.GetString("TestMethod") ?? "GET",
            TestPath = e.GetString("TestPath") ?? "/",
            CreatedBy = e.GetString("CreatedBy"),
            CreatedAt = e.GetDateTimeOffset("CreatedAt")!.Value,
            UpdatedAt = e.GetDateTimeOffset("UpdatedAt")!.Value,
            ETag = e.ETag.ToString(),
            State = state is null ? ConnectionState.New : ToState(state),
        };
    }

    private static ConnectionState ToState(TableEntity s)
    {
        var subject = s.GetString("AccountSubject");
        var email = s.GetString("AccountEmail");
        var name = s.GetString("AccountName");
        return new ConnectionState
        {
            Status = ParseStatus(s.GetString("Status")),
            StatusReason = s.GetString("StatusReason"),
            AuthorizedBy = s.GetString("AuthorizedBy"),
            Account = subject is null && email is null && name is null ? null : new ConnectedAccount(subject, email, name),
            GrantedScopes = Json<List<string>>(s.GetString("GrantedScopes")) ?? [],
            ExpiresAt = s.GetDateTimeOffset("ExpiresAt"),
            LastRefreshedAt = s.GetDateTimeOffset("LastRefreshedAt"),
            NextRefreshAt = s.GetDateTimeOffset("NextRefreshAt"),
            LastUsedAt = s.GetDateTimeOffset("LastUsedAt"),
            LastTestedAt = s.GetDateTimeOffset("LastTestedAt"),
            LastTestSucceeded = s.GetBoolean("LastTestSucceeded"),
            LastError = s.GetString("LastError"),
            ApiDeprecationSeenAt = s.GetDateTimeOffset("ApiDeprecationSeenAt"),
            ETag = s.ETag.ToString(),
        };
    }

    private static ConnectionStatus ParseStatus(string? name) =>
        Enum.GetValues<ConnectionStatus>().FirstOrDefault(s => string.Equals(ConnectionStatuses.NameOf(s), name, StringComparison.Ordinal));

    private static T? Json<T>(string? stored)
        where T : class => string.IsNullOrEmpty(stored) ? null : JsonSerializer.Deserialize<T>(stored);

    /// <summary>The stored form of a policy rule.</summary>
    private sealed record StoredRule(string Effect, IReadOnlyList<string> Methods, string Path);
}
