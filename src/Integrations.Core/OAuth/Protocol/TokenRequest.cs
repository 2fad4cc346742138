namespace Integrations.Core.OAuth.Protocol;

/// <summary>
/// One request to a token endpoint: any grant (<c>authorization_code</c>, <c>refresh_token</c>,
/// <c>client_credentials</c>, <c>password</c>, <c>urn:ietf:params:oauth:grant-type:device_code</c>, token exchange,
/// JWT bearer, or another) with its parameters (code, code_verifier, redirect_uri, refresh_token, scope, …).
/// <see cref="CircuitKey"/> names the breaker it counts against (the connection), so one failing connection cannot
/// starve the others. <see cref="ToString"/> shows no parameter value: they hold codes and tokens.
/// </summary>
public sealed record TokenRequest(Uri TokenEndpoint, OAuthClientCredentials Client, string GrantType, IReadOnlyDictionary<string, string> Parameters, string CircuitKey)
{
    public override string ToString() => $"TokenRequest {{ TokenEndpoint = {TokenEndpoint}, GrantType = {GrantType}, Parameters = [{string.Join(", ", Parameters.Keys)}] }}";
}
