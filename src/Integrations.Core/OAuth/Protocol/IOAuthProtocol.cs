using Integrations.Core.Common;
using Integrations.Core.Connections;

namespace Integrations.Core.OAuth.Protocol;

/// <summary>
/// The OAuth 2.0 / OpenID Connect messages the hub sends to providers, implemented over the guarded outbound HTTP
/// client (Integrations.Http). Expected failures are values; only cancellation and programming errors throw.
/// Nothing here logs or returns a credential in a description.
/// </summary>
public interface IOAuthProtocol
{
    /// <summary>Sends a token request (RFC 6749 §4–6, RFC 8628 §3.4, RFC 8693, RFC 7523) with the client's authentication method.</summary>
    Task<TokenResult> RequestTokenAsync(TokenRequest request, CancellationToken cancellationToken = default);

    /// <summary>Starts a device authorization (RFC 8628 §3.1).</summary>
    Task<Result<DeviceAuthorization>> RequestDeviceAuthorizationAsync(DeviceAuthorizationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Revokes a token (RFC 7009 §2.1). Success means the server answered 200 (it also does for unknown tokens, §2.2).</summary>
    Task<Result<bool>> RevokeAsync(RevocationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Calls the userinfo endpoint with the access token and reads <c>sub</c>, <c>email</c>, <c>name</c>.</summary>
    Task<Result<ConnectedAccount>> GetUserInfoAsync(Uri endpoint, string accessToken, string circuitKey, CancellationToken cancellationToken = default);

    /// <summary>Validates an id token against <paramref name="expectations"/> (JWKS fetched through the guard, cached) and returns the account it names.</summary>
    Task<Result<ConnectedAccount>> ValidateIdTokenAsync(string idToken, IdTokenExpectations expectations, CancellationToken cancellationToken = default);
}
