using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Azure.Data.Tables;

namespace Integrations.Bench.Load;

/// <summary>One operation of a scenario; true when it succeeded.</summary>
internal delegate Task<bool> Operation(CancellationToken cancellationToken);

/// <summary>A named operation measured under load.</summary>
internal sealed record Scenario(string Name, Operation Run);

/// <summary>
/// The four measured operations on one of the seeded secrets. The baselines do with Azure.Data.Tables alone the
/// storage work that a fail-closed, audited read cannot avoid: one point read of the secret row (as
/// TableSecretStore stores it) and one insert of an audit-sized entity — for a metadata read and for a reveal
/// alike, since the hub audits every request (issue 6, item 8). The hub adds HTTP, authentication, envelope
/// decryption (reveal) and its own audit write, group-committed by AuditAppendBatcher.
/// </summary>
internal sealed class Scenarios(HttpClient http, Uri baseAddress, string apiKey, TableServiceClient tables, string prefix, string organizationId, string projectId, int secretCount)
{
    // The columns TableSecretStore selects for metadata.
    private static readonly string[] MetadataColumns =
        ["SecretId", "Org", "Project", "Name", "CurrentVersion", "Description", "Tags", "CreatedBy", "CreatedAt", "UpdatedBy", "UpdatedAt", "DeletedAt"];

    private readonly TableClient _secrets = tables.GetTableClient(prefix + "secrets");
    private readonly TableClient _scratchAudit = tables.GetTableClient(prefix + "benchaudit");
    private readonly AuthenticationHeaderValue _bearer = new("Bearer", apiKey);
    private int _next;

    private string Partition => $"{organizationId}_{projectId}";

    public static string SecretName(int i) => "bench-secret-" + i.ToString("D5", CultureInfo.InvariantCulture);

    /// <summary>The scenario named as on the command line (<see cref="LoadOptions.AllScenarios"/>).</summary>
    public Scenario Named(string name) => name switch
    {
        "baseline-metadata" => BaselineMetadata,
        "hub-metadata" => HubMetadata,
        "baseline-reveal" => BaselineReveal,
        "hub-reveal" => HubReveal,
        "baseline-proxy" => BaselineProxy,
        "hub-proxy" => HubProxy,
        "baseline-webhook" => WebhookPair.Baseline,
        "hub-webhook" => WebhookPair.Hub,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such scenario."),
    };

    /// <summary>The loopback upstream and the connection to it, for the proxy pair (set when those scenarios run).</summary>
    public (Uri Upstream, string ConnectionId)? Proxy { get; set; }

    /// <summary>GET of the upstream's resource, directly: the same request the proxy forwards.</summary>
    public Scenario BaselineProxy => new("baseline-proxy", ct => SendAsync(HttpMethod.Get, new Uri(ProxyTarget.Upstream, "api/items/42?expand=1"), null, ct));

    /// <summary>The same GET through <c>…/connections/{id}/proxy/items/42?expand=1</c> (the hub adds the connection's bearer token).</summary>
    public Scenario HubProxy => new("hub-proxy", ct =>
        SendAsync(HttpMethod.Get, new Uri(baseAddress, $"v1/projects/{projectId}/connections/{ProxyTarget.ConnectionId}/proxy/items/42?expand=1"), _bearer, ct));

    /// <summary>The stripe source and the baseline's storage, for the webhook pair (set when those scenarios run).</summary>
    public WebhookLoad? Webhook { get; set; }

    private WebhookLoad WebhookPair => Webhook ?? throw new InvalidOperationException("The webhook scenarios need Scenarios.Webhook.");

    private (Uri Upstream, string ConnectionId) ProxyTarget => Proxy ?? throw new InvalidOperationException("The proxy scenarios need Scenarios.Proxy.");

    public Scenario HubMetadata => new("hub-metadata", ct => SendAsync(HttpMethod.Get, $"v1/projects/{projectId}/secrets/{NextName()}", ct));

    public Scenario HubReveal => new("hub-reveal", ct => SendAsync(HttpMethod.Post, $"v1/projects/{projectId}/secrets/{NextName()}/reveal", ct));

    /// <summary>Point read of the metadata columns + one audit-sized insert: the same shape as <see cref="BaselineReveal"/>.</summary>
    public Scenario BaselineMetadata => new("baseline-metadata", async ct =>
    {
        var name = NextName();
        var row = await _secrets.GetEntityAsync<TableEntity>(Partition, "S:" + name, MetadataColumns, ct).ConfigureAwait(false);
        if (!row.Value.ContainsKey("SecretId"))
        {
            return false;
        }

        await _scratchAudit.AddEntityAsync(AuditLikeEntity("secret.read", name), ct).ConfigureAwait(false);
        return true;
    });

    /// <summary>Point read of the whole row (with the sealed value) + one audit-sized insert.</summary>
    public Scenario BaselineReveal => new("baseline-reveal", async ct =>
    {
        var name = NextName();
        var row = await _secrets.GetEntityAsync<TableEntity>(Partition, "S:" + name, cancellationToken: ct).ConfigureAwait(false);
        if (row.Value.GetBinary("Value") is not { Length: > 0 })
        {
            return false;
        }

        await _scratchAudit.AddEntityAsync(AuditLikeEntity("secret.reveal", name), ct).ConfigureAwait(false);
        return true;
    });

    public Task CreateScratchTableAsync(CancellationToken cancellationToken) => _scratchAudit.CreateIfNotExistsAsync(cancellationToken);

    /// <summary>
    /// The next secret to read: a counter scattered over the seeded names by a multiplicative hash. Cheap and
    /// thread-safe, spreads reads like a random pick, and needs no Random (which the code base bans outside a service).
    /// </summary>
    private string NextName() =>
        SecretName((int)((uint)Interlocked.Increment(ref _next) * 2654435761u % (uint)secretCount));

    private Task<bool> SendAsync(HttpMethod method, string path, CancellationToken cancellationToken) =>
        SendAsync(method, new Uri(baseAddress, path), _bearer, cancellationToken);

    private async Task<bool> SendAsync(HttpMethod method, Uri uri, AuthenticationHeaderValue? bearer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = bearer;
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        // The body is read in full (SendAsync buffers it), as a real caller would.
        return response.IsSuccessStatusCode;
    }

    /// <summary>An entity with the columns and typical sizes of a hub audit record (TableAuditStore.ToEntity).</summary>
    private TableEntity AuditLikeEntity(string action, string secretName)
    {
        var now = TimeProvider.System.GetUtcNow();
        var id = "aud_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(10)).ToLowerInvariant();
        return new TableEntity(Partition, (DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "_" + id)
        {
            ["Id"] = id,
            ["Time"] = now,
            ["Org"] = organizationId,
            ["Project"] = projectId,
            ["Action"] = action,
            ["Outcome"] = "success",
            ["Status"] = 200,
            ["ActorType"] = "ApiKey",
            ["ActorId"] = "key_abcdefghijklmnopqrst",
            ["Target"] = "secret/" + secretName,
            ["SourceIp"] = "127.0.0.1",
            ["RequestId"] = "0HNBENCHMARK00:" + id[^8..],
        };
    }
}
