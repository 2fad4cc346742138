using Integrations.Core.OutboundWebhooks;

namespace Integrations.Api.OutboundWebhooks;

// Requests: POST takes a WebhookEndpointInput (Core) as its body, PATCH a JSON merge patch (RFC 7396) of it. Rotate and
// reveal take no body. No response but RevealedSecretsResponse holds a secret value.

/// <summary>An outbound webhook endpoint: where events go, which, how, and its keys (ids and times, never values).</summary>
public sealed record WebhookEndpointResponse(
    string Id, string Url, string? Description, IReadOnlyList<string> EventTypes, bool Enabled, string? DisabledReason, int? RateLimitPerSecond, int TimeoutMs,
    EndpointRetryInput? Retry, IReadOnlyDictionary<string, string> Headers, IReadOnlyList<EndpointKeyResponse> Keys, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static WebhookEndpointResponse From(WebhookEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var input = WebhookEndpointInput.From(endpoint);
        return new(endpoint.Id, input.Url!, endpoint.Description, endpoint.EventTypes, endpoint.Enabled, endpoint.DisabledReason, endpoint.RateLimitPerSecond,
            input.TimeoutMs!.Value, input.Retry, endpoint.Headers, endpoint.Keys.Select(k => new EndpointKeyResponse(k.Id, k.CreatedAt, k.NotAfter)).ToList(),
            endpoint.CreatedAt, endpoint.UpdatedAt);
    }
}

/// <summary>One signing key: its id, when it was made, and when it stops signing (absent: until the next rotation).</summary>
public sealed record EndpointKeyResponse(string Id, DateTimeOffset CreatedAt, DateTimeOffset? NotAfter);

/// <summary>A deleted endpoint (its secrets are gone from the vault too).</summary>
public sealed record DeletedWebhookEndpointResponse(string Id, string Url);

/// <summary>The secrets that sign now, newest first: verify a delivery against any of them.</summary>
public sealed record RevealedSecretsResponse(string EndpointId, IReadOnlyList<RevealedKeyResponse> Keys)
{
    public override string ToString() => $"RevealedSecretsResponse {{ EndpointId = {EndpointId}, Keys = {Keys.Count} }}";
}

/// <summary>One signing secret (<c>whsec_…</c>) and when it stops signing.</summary>
public sealed record RevealedKeyResponse(string KeyId, string Secret, DateTimeOffset? NotAfter)
{
    public override string ToString() => $"RevealedKeyResponse {{ KeyId = {KeyId}, Secret = ***, NotAfter = {NotAfter} }}";
}
