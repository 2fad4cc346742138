using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.OAuth.Protocol;

namespace Integrations.Core.OAuth.Tokens;

/// <summary>
/// The one place an OAuth connection's tokens are stored, refreshed and revoked. Tokens are a vault secret of the
/// connection's project (sealed like any other). Refresh is single-flight across instances: however many callers on
/// however many instances find a token within its skew of expiry, one token request is sent; a rotated refresh token
/// is stored with a compare-and-swap write before the new access token is handed out.
/// </summary>
public interface IConnectionTokenService
{
    /// <summary>
    /// A valid access token: the stored one, or a refreshed one when it is within the provider's skew of expiry (or a
    /// new client-credentials grant when there is no refresh token). <c>invalid_grant</c> moves the connection to
    /// <c>needs_reauth</c>; transient failures to <c>refresh_failing</c> (the current token is returned while it is
    /// still valid).
    /// </summary>
    Task<Result<AccessToken>> GetAsync(Connection connection, bool forceRefresh = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// After a provider rejected <paramref name="rejectedAccessToken"/> with 401: refresh once, unless another caller
    /// already replaced that token (then the stored one is returned) — so many concurrent 401s cause one refresh.
    /// </summary>
    Task<Result<AccessToken>> RefreshAfterRejectionAsync(Connection connection, string rejectedAccessToken, CancellationToken cancellationToken = default);

    /// <summary>Stores the tokens of a completed grant (code, device, password, exchange …), the granted scopes and account, and activates the connection.</summary>
    Task<Result<ConnectionState>> StoreGrantAsync(Connection connection, TokenResponse response, ConnectedAccount? account, string actor, CancellationToken cancellationToken = default);

    /// <summary>Revokes the refresh and access tokens at the provider (RFC 7009, with <c>token_type_hint</c>) where it can, and forgets them.</summary>
    Task<RevocationOutcome> RevokeAsync(Connection connection, string actor, CancellationToken cancellationToken = default);
}
