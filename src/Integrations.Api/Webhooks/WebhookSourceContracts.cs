using Integrations.Core.Webhooks;

namespace Integrations.Api.Webhooks;

// Requests: POST takes a WebhookSourceInput (Core) as its body, PATCH a JSON merge patch (RFC 7396) of its editable members,
// POST …/secrets a WebhookSecretInput. Responses never hold a secret value, except the one the hub generated, once.

/// <summary>
/// A webhook source: its public <see cref="Url"/> (paste it into the provider's dashboard), scheme, settings and keys (ids
/// and times, never values). <see cref="Secret"/> is set only in the answer to the request that generated it.
/// </summary>
public sealed record WebhookSourceResponse(
    string Id, string Name, string Scheme, string? Description, string Url, bool Enabled, WebhookSettingsInput Settings, IReadOnlyList<WebhookKeyResponse> Keys,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Secret = null)
{
    public static WebhookSourceResponse From(WebhookSource source, string publicBaseUrl, string? generatedSecret = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new(source.Id, source.Name, source.Scheme, source.Description, UrlOf(publicBaseUrl, source.Id), source.Enabled,
            WebhookSourceInput.From(source).Settings!, source.Keys.Select(k => new WebhookKeyResponse(k.Id, k.CreatedAt, k.NotAfter)).ToList(),
            source.CreatedAt, source.UpdatedAt, generatedSecret);
    }

    /// <summary>The source's public URL: <c>{Hub:PublicBaseUrl}/v1/webhooks/{sourceId}</c>.</summary>
    public static string UrlOf(string publicBaseUrl, string sourceId)
    {
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        return publicBaseUrl.TrimEnd('/') + "/v1/webhooks/" + sourceId;
    }

    public override string ToString() => $"WebhookSourceResponse {{ Id = {Id}, Name = {Name}, Scheme = {Scheme}, Secret = {(Secret is null ? "null" : "***")} }}";
}

/// <summary>One signing key: its id, when it was added, and when it stops being accepted (absent: until a newer one retires it).</summary>
public sealed record WebhookKeyResponse(string Id, DateTimeOffset CreatedAt, DateTimeOffset? NotAfter);

/// <summary>A deleted source (its secrets are gone from the vault too).</summary>
public sealed record DeletedWebhookSourceResponse(string Id, string Name);

/// <summary>
/// A source's deliveries by outcome from <see cref="Since"/> (rounded down to its hour) until <see cref="Until"/>, summed
/// over every instance's flushed counts (another instance's last minute may be missing).
/// </summary>
public sealed record WebhookSourceStatsResponse(
    string SourceId, DateTimeOffset Since, DateTimeOffset Until, long Accepted, long Duplicate, long BadSignature, long Stale, long Oversized, long Malformed,
    DateTimeOffset? LastAcceptedAt);
