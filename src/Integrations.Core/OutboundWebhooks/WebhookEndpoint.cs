namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// A project's receiver of outbound webhooks: every message whose event type matches <see cref="EventTypes"/> is delivered to
/// <see cref="Url"/>, signed with the Standard Webhooks scheme by every active key in <see cref="Keys"/>.
/// </summary>
/// <param name="Id">The endpoint id (<c>wep_…</c>).</param>
/// <param name="Url">An absolute http(s) URL; the SSRF guard decides at connect time whether it may be called.</param>
/// <param name="EventTypes">Exact names and <c>prefix.*</c> patterns (<see cref="EventTypeFilter"/>); empty = every event type.</param>
/// <param name="Enabled">A disabled endpoint gets no new deliveries; its pending ones end <see cref="DeliveryState.Failed"/> when they come up.</param>
/// <param name="DisabledReason">Why the hub disabled it (410 Gone, failing for 5 days); null when a user disabled it or it is enabled.</param>
/// <param name="RateLimitPerSecond">At most this many deliveries per second, held across instances; null = unlimited.</param>
/// <param name="Timeout">Per attempt, up to the response headers. Default 15 s.</param>
/// <param name="Retry">The retry schedule: <c>Webhooks:RetrySchedule</c> by default, or a named strategy of Integrations.Http.</param>
/// <param name="Headers">Custom headers added to every delivery (never <c>webhook-*</c>, hop-by-hop or credential headers).</param>
/// <param name="Keys">The signing secrets, newest first: each names its vault secret (<c>webhook.{endpointId}.{keyId}</c>) and when it stops signing.</param>
/// <param name="ETag">The stored row's ETag (every write is conditional on it).</param>
public sealed record WebhookEndpoint(
    string Id,
    string OrganizationId,
    string ProjectId,
    Uri Url,
    string? Description,
    IReadOnlyList<string> EventTypes,
    bool Enabled,
    string? DisabledReason,
    int? RateLimitPerSecond,
    TimeSpan Timeout,
    EndpointRetryPolicy Retry,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyList<EndpointSigningKey> Keys,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? ETag = null)
{
    public const string IdPrefix = "wep";

    /// <summary>Default <see cref="Timeout"/>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The keys that sign at <paramref name="now"/> (during a rotation's overlap, both).</summary>
    public IEnumerable<EndpointSigningKey> ActiveKeysAt(DateTimeOffset now) => Keys.Where(k => k.NotAfter is null || k.NotAfter > now);
}

/// <summary>One signing secret of an endpoint: where its value (<c>whsec_…</c>) lives, never the value.</summary>
/// <param name="Id">Stable id of this key within the endpoint (<c>k1</c>, <c>k2</c> …).</param>
/// <param name="SecretName">The vault secret holding the value: <c>webhook.{endpointId}.{Id}</c> (hub-managed).</param>
/// <param name="NotAfter">When it stops signing; set to rotation time + <c>Webhooks:SecretRotationOverlap</c> by a rotation.</param>
public sealed record EndpointSigningKey(string Id, string SecretName, DateTimeOffset CreatedAt, DateTimeOffset? NotAfter);

/// <summary>
/// How an endpoint's failed deliveries are retried: <see cref="Strategy"/> null = <c>Webhooks:RetrySchedule</c>
/// ; otherwise a named strategy of Integrations.Http with at most <see cref="MaxAttempts"/> attempts.
/// </summary>
public sealed record EndpointRetryPolicy(string? Strategy, int? MaxAttempts)
{
    public static EndpointRetryPolicy Default { get; } = new(null, null);
}
