namespace Integrations.Client.WebhookEndpoints;

/// <summary>An outbound webhook endpoint: where the project's messages go, which ones, how, and its signing keys (ids and times, never values).</summary>
/// <param name="Id">The endpoint id (<c>wep_…</c>).</param>
/// <param name="Url">Where deliveries are POSTed.</param>
/// <param name="Description">A description, if any.</param>
/// <param name="EventTypes">Exact event types and <c>prefix.*</c> patterns; empty: every type.</param>
/// <param name="Enabled">False: no new deliveries (set by the caller, or by the hub after too many failures).</param>
/// <param name="DisabledReason">Why the hub disabled it, if it did.</param>
/// <param name="RateLimitPerSecond">The most deliveries a second, or null for unlimited.</param>
/// <param name="TimeoutMs">How long a delivery waits for the receiver's answer.</param>
/// <param name="Retry">The retry strategy and attempts, or null for the hub's schedule.</param>
/// <param name="Headers">Custom headers sent with every delivery.</param>
/// <param name="Keys">The signing keys that sign now, each with when it stops signing.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record WebhookEndpoint(
    string Id, Uri Url, string? Description, IReadOnlyList<string> EventTypes, bool Enabled, string? DisabledReason, int? RateLimitPerSecond, int TimeoutMs,
    EndpointRetry? Retry, IReadOnlyDictionary<string, string> Headers, IReadOnlyList<EndpointSigningKey> Keys, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A named retry strategy of the hub (<c>linear_1s</c> … <c>exponential_backoff_jitter</c>) and the most attempts a delivery makes (1 to 20).</summary>
public sealed record EndpointRetry
{
    /// <summary>The strategy's name (the hub's default schedule when null).</summary>
    public string? Strategy { get; init; }

    /// <summary>The most attempts of one delivery (hub default 8).</summary>
    public int? MaxAttempts { get; init; }
}

/// <summary>One signing key: its id, when it was made, and when it stops signing (null: until the next rotation).</summary>
/// <param name="Id">The key id.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="NotAfter">When it stops signing, if set.</param>
public sealed record EndpointSigningKey(string Id, DateTimeOffset CreatedAt, DateTimeOffset? NotAfter);

/// <summary>An endpoint to register. The hub generates its signing secret (<see cref="WebhookEndpointsClient.RevealSecretsAsync"/>).</summary>
/// <param name="Url">Absolute http(s), no user info or fragment, at most 2048 characters; the hub refuses private addresses unless its configuration allows them.</param>
public sealed record NewWebhookEndpoint(Uri Url)
{
    /// <summary>A description.</summary>
    public string? Description { get; init; }

    /// <summary>Exact event types and <c>prefix.*</c> patterns; null or empty: every type.</summary>
    public IReadOnlyList<string>? EventTypes { get; init; }

    /// <summary>False: registered disabled. Default true.</summary>
    public bool? Enabled { get; init; }

    /// <summary>1 to 10000 deliveries a second; null: unlimited.</summary>
    public int? RateLimitPerSecond { get; init; }

    /// <summary>1000 to 30000 ms; null: 15000.</summary>
    public int? TimeoutMs { get; init; }

    /// <summary>Null: the hub's retry schedule.</summary>
    public EndpointRetry? Retry { get; init; }

    /// <summary>Custom headers sent with every delivery.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}

/// <summary>A change to an endpoint (a JSON merge patch): a member left null is unchanged; <see cref="Headers"/> and <see cref="Retry"/> merge member by member.</summary>
public sealed record WebhookEndpointPatch
{
    /// <summary>A new URL.</summary>
    public Uri? Url { get; init; }

    /// <summary>A new description.</summary>
    public string? Description { get; init; }

    /// <summary>New event types (replaces the list).</summary>
    public IReadOnlyList<string>? EventTypes { get; init; }

    /// <summary>False: no new deliveries; true: enabled again (also one the hub disabled).</summary>
    public bool? Enabled { get; init; }

    /// <summary>A new rate limit.</summary>
    public int? RateLimitPerSecond { get; init; }

    /// <summary>A new timeout.</summary>
    public int? TimeoutMs { get; init; }

    /// <summary>A new retry strategy or attempts.</summary>
    public EndpointRetry? Retry { get; init; }

    /// <summary>Headers to add or change.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}

/// <summary>A deleted endpoint (its secrets are gone from the hub's vault too).</summary>
/// <param name="Id">The endpoint id.</param>
/// <param name="Url">Its URL.</param>
public sealed record DeletedWebhookEndpoint(string Id, Uri Url);

/// <summary>The secrets that sign now, newest first: verify a delivery against any of them (<see cref="Secrets"/> for <c>WebhookVerifier.Verify</c>).</summary>
/// <param name="EndpointId">The endpoint id.</param>
/// <param name="Keys">Each signing secret with when it stops signing.</param>
public sealed record RevealedEndpointSecrets(string EndpointId, IReadOnlyList<RevealedEndpointSecret> Keys)
{
    /// <summary>The secret values (<c>whsec_…</c>), newest first, as <c>WebhookVerifier.Verify(secrets, …)</c> takes them.</summary>
    public IReadOnlyList<string> Secrets => Keys.Select(k => k.Secret).ToList();

    /// <summary>The endpoint and how many keys; never a secret.</summary>
    public override string ToString() => $"RevealedEndpointSecrets {{ EndpointId = {EndpointId}, Keys = {Keys.Count} }}";
}

/// <summary>One signing secret (<c>whsec_…</c>) and when it stops signing. <see cref="ToString"/> never shows <see cref="Secret"/>.</summary>
/// <param name="KeyId">The key id.</param>
/// <param name="Secret">The secret value.</param>
/// <param name="NotAfter">When it stops signing (null: until the next rotation).</param>
public sealed record RevealedEndpointSecret(string KeyId, string Secret, DateTimeOffset? NotAfter)
{
    /// <summary>The key id and expiry; never the secret.</summary>
    public override string ToString() => $"RevealedEndpointSecret {{ KeyId = {KeyId}, NotAfter = {NotAfter:O} }}";
}

/// <summary>The answer to a recover: how many failed deliveries were queued again.</summary>
/// <param name="EndpointId">The endpoint id.</param>
/// <param name="Since">The deliveries created since then were considered.</param>
/// <param name="Count">How many were queued again.</param>
/// <param name="More">True when more remain than one recover queues (1000): call it again.</param>
public sealed record EndpointRecovery(string EndpointId, DateTimeOffset Since, int Count, bool More);

/// <summary>An endpoint's outcomes over a range, summed over every hub instance's counters (another instance's last seconds may be missing).</summary>
/// <param name="EndpointId">The endpoint id.</param>
/// <param name="Since">The start of the range.</param>
/// <param name="Until">The end (the hub's now).</param>
/// <param name="Delivered">Deliveries that got a 2xx.</param>
/// <param name="Retrying">Attempts that failed and were scheduled again.</param>
/// <param name="Failed">Deliveries that ended failed.</param>
/// <param name="LastDeliveredAt">The last 2xx, if any.</param>
public sealed record EndpointStats(string EndpointId, DateTimeOffset Since, DateTimeOffset Until, long Delivered, long Retrying, long Failed, DateTimeOffset? LastDeliveredAt);
