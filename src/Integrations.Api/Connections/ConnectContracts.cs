namespace Integrations.Api.Connections;

/// <summary>The body of <c>POST …/authorize</c> (both optional).</summary>
public sealed record AuthorizeRequest(string? RedirectAfter, IReadOnlyList<string>? Scopes);

/// <summary>What <c>authorize</c> answers. Both URLs carry a single-use bearer value: ToString shows neither.</summary>
public sealed record AuthorizeResponse(Uri AuthorizationUrl, Uri StartUrl, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"AuthorizeResponse {{ ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary>The body of <c>POST …/grant</c>. Parameters may hold a password, a subject token or an assertion: ToString shows names only.</summary>
public sealed record GrantRequest(string? GrantType, IReadOnlyDictionary<string, string?>? Parameters)
{
    public override string ToString() => $"GrantRequest {{ GrantType = {GrantType}, Parameters = [{string.Join(", ", Parameters?.Keys ?? [])}] }}";
}

/// <summary>What <c>device</c> answers (RFC 8628 §3.2, without the device code, which the hub keeps sealed and polls with).</summary>
public sealed record DeviceResponse(string UserCode, Uri VerificationUri, Uri? VerificationUriComplete, int ExpiresIn, int Interval);
