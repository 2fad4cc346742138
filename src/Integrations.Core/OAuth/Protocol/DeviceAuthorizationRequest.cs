namespace Integrations.Core.OAuth.Protocol;

/// <summary>RFC 8628 §3.1 device authorization request.</summary>
public sealed record DeviceAuthorizationRequest(Uri Endpoint, OAuthClientCredentials Client, string? Scope, IReadOnlyDictionary<string, string> ExtraParameters, string CircuitKey);
