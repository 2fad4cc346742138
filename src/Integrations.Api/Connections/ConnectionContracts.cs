using Integrations.Core.Connections;
using Integrations.Core.Connections.Proxy;

namespace Integrations.Api.Connections;

// Requests: POST takes a ConnectionInput (Core) as its body; PATCH a JSON merge patch (RFC 7396) of that shape.
// Responses: no field can hold a secret value — secret_refs are names of vault secrets.

/// <summary>A connection's configuration and its status (the details are at <c>…/status</c>).</summary>
public sealed record ConnectionResponse(
    string Id, string Name, string Type, string? ProviderId, string? Description, string? BaseUrl, IReadOnlyDictionary<string, string> DefaultHeaders,
    double TimeoutSeconds, int Retries, string? RetryStrategy, bool Enabled, IReadOnlyDictionary<string, string> SecretRefs, ApiKeyPlacementInput? ApiKey,
    IReadOnlyList<string> Scopes, EndUserInput? EndUser, IReadOnlyList<ProxyRuleInput> Policy, TestRequestInput TestRequest, string Status, string? StatusReason,
    string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ConnectionResponse From(Connection c) => new(
        c.Id, c.Name, ConnectionTypes.NameOf(c.Type), c.ProviderId, c.Description, c.BaseUrl?.OriginalString, c.DefaultHeaders, c.Timeout.TotalSeconds, c.Retries,
        c.RetryStrategy, c.Enabled, c.SecretRefs, c.ApiKey is { } k ? new ApiKeyPlacementInput(ApiKeyPlacementInput.NameOf(k.In), k.Name) : null, c.Scopes,
        c.EndUser is { } u ? new EndUserInput(u.Id, u.DisplayName) : null,
        c.Policy.Select(r => new ProxyRuleInput(ProxyRuleInput.NameOf(r.Effect), r.Methods.ToList<string?>(), r.PathGlob)).ToList(),
        new TestRequestInput(c.TestMethod, c.TestPath), ConnectionStatuses.NameOf(c.State.Status), c.State.StatusReason, c.CreatedBy, c.CreatedAt, c.UpdatedAt);
}

/// <summary>
/// Everything <see cref="ConnectionState"/> holds, never a token; <see cref="Last24h"/> (calls and errors through the
/// proxy, all instances); and what the answering instance saw of the connection: <see cref="Circuit"/> (its breaker) and
/// <see cref="RateLimit"/> (the provider's last <c>RateLimit-*</c> headers).
/// </summary>
public sealed record ConnectionStatusResponse(
    string Id, string Status, string? StatusReason, bool Enabled, string? AuthorizedBy, AccountResponse? Account, IReadOnlyList<string> GrantedScopes,
    DateTimeOffset? ExpiresAt, DateTimeOffset? LastRefreshedAt, DateTimeOffset? NextRefreshAt, DateTimeOffset? LastUsedAt, DateTimeOffset? LastTestedAt,
    string? LastError, CircuitResponse? Circuit = null, CallCountsResponse? Last24h = null, RateLimitResponse? RateLimit = null, bool? LastTestSucceeded = null)
{
    public static ConnectionStatusResponse From(Connection c)
    {
        var s = c.State;
        return new(c.Id, ConnectionStatuses.NameOf(s.Status), s.StatusReason, c.Enabled, s.AuthorizedBy,
            s.Account is { } a ? new AccountResponse(a.Subject, a.Email, a.Name) : null, s.GrantedScopes, s.ExpiresAt, s.LastRefreshedAt, s.NextRefreshAt,
            s.LastUsedAt, s.LastTestedAt, s.LastError, LastTestSucceeded: s.LastTestSucceeded);
    }
}

public sealed record AccountResponse(string? Subject, string? Email, string? Name);

/// <summary>The connection's circuit breaker as the answering instance sees it: <c>closed</c>, <c>open</c> or <c>half_open</c>.</summary>
public sealed record CircuitResponse(string State, DateTimeOffset? OpenUntil)
{
    public static string NameOf(CircuitPosition position) => position switch
    {
        CircuitPosition.Open => "open",
        CircuitPosition.HalfOpen => "half_open",
        _ => "closed",
    };
}

/// <summary>
/// Calls through the proxy in the last 24 hours (whole hours) and how many failed (no answer, 5xx, 401, 403 or 429),
/// counted by every instance (<see cref="Scope"/> <c>all_instances</c>). Each instance writes its counts every
/// <c>Counters:FlushInterval</c> (30 s by default), so another instance's most recent calls may be missing.
/// </summary>
public sealed record CallCountsResponse(long Calls, long Errors, string Scope = CallCountsResponse.AllInstances)
{
    public const string AllInstances = "all_instances";
}

/// <summary>The provider's last rate-limit headers (<c>X-RateLimit-*</c> / <c>RateLimit-*</c>).</summary>
public sealed record RateLimitResponse(long? Limit, long? Remaining, DateTimeOffset? ResetAt);

/// <summary>A deleted connection, and whether its tokens were revoked (<c>not_applicable</c>, <c>succeeded</c>, <c>unsupported</c>, <c>failed</c>).</summary>
public sealed record DeletedConnectionResponse(string Id, string Name, TokenRevocation Revocation);
