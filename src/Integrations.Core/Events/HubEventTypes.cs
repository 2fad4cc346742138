namespace Integrations.Core.Events;

/// <summary>
/// Every event type the hub writes to a project's outbox, in one place: webhook subscribers filter on these names, so
/// they are part of the product and never change once shipped.
/// </summary>
public static class HubEventTypes
{
    /// <summary>A connection was created (its initial status in <c>data.status</c>).</summary>
    public const string ConnectionCreated = "connection.created";

    /// <summary>A connection's configuration was deleted.</summary>
    public const string ConnectionDeleted = "connection.deleted";

    /// <summary>A connection obtained a usable credential (first grant, reconnect, re-consent).</summary>
    public const string ConnectionConnected = "connection.connected";

    /// <summary>A refresh failed transiently (5xx, 429, network): the connection is <c>refresh_failing</c>.</summary>
    public const string ConnectionRefreshFailed = "connection.refresh_failed";

    /// <summary>A refresh succeeded again after <see cref="ConnectionRefreshFailed"/>.</summary>
    public const string ConnectionRefreshRecovered = "connection.refresh_recovered";

    /// <summary>The provider refused the grant (<c>invalid_grant</c>): a user must connect again.</summary>
    public const string ConnectionNeedsReauth = "connection.needs_reauth";

    public const string ConnectionRevoked = "connection.revoked";

    public const string ConnectionDisabled = "connection.disabled";

    public const string ConnectionEnabled = "connection.enabled";

    public const string ConnectionClientSecretExpired = "connection.client_secret_expired";

    public const string ConnectionScopesInsufficient = "connection.scopes_insufficient";

    /// <summary>401/403 answers through the proxy passed the configured rate.</summary>
    public const string ConnectionAuthErrorsSpike = "connection.auth_errors_spike";

    /// <summary>5xx answers through the proxy passed the configured rate (<c>Connections:ServerErrorAlert*</c>; data: connection_id, name, count, window_start, window_seconds).</summary>
    public const string ConnectionServerErrorsSpike = "connection.server_errors_spike";

    /// <summary>The upstream sent <c>Deprecation</c> or <c>Sunset</c> (once per connection).</summary>
    public const string ConnectionApiDeprecated = "connection.api_deprecated";

    /// <summary>A vault secret's <c>expires_at</c> or rotation date is 30, 7 or 1 days away.</summary>
    public const string SecretExpiring = "secret.expiring";

    public const string SecretExpired = "secret.expired";

    /// <summary>A provider's <c>client_secret_expires_at</c> is 30, 7 or 1 days away.</summary>
    public const string ProviderClientSecretExpiring = "provider.client_secret_expiring";

    /// <summary>An RFC 8628 device authorization ended without a grant (the user denied it, or its code expired).</summary>
    public const string ConnectionDeviceAuthorizationFailed = "connection.device_authorization_failed";

    /// <summary>The daily health check's test request failed for a connection whose previous test had passed (or that had none).</summary>
    public const string ConnectionHealthCheckFailed = "connection.health_check_failed";

    /// <summary>
    /// Deliveries of the project landed in the poison queue (their job failed every try) and were failed; at most one per
    /// <c>Webhooks:PoisonAlertWindow</c> (data: count — drained in the run that raised it — queue, window_start, window_seconds).
    /// </summary>
    public const string WebhookDeliveriesPoisoned = "webhook.deliveries_poisoned";

    /// <summary>The hub disabled an outbound webhook endpoint (<c>data.endpoint_id</c>, <c>data.reason</c>: 410 Gone, or failing too long).</summary>
    public const string EndpointDisabled = "endpoint.disabled";

    /// <summary>A person must verify their address: <c>data.sealed_link</c> holds the sealed token and link (see RecoveryDelivery).</summary>
    public const string AuthEmailVerificationRequired = "auth.email_verification_required";

    /// <summary>A person asked to reset their password: <c>data.sealed_link</c> holds the sealed token and link (see RecoveryDelivery).</summary>
    public const string AuthPasswordResetRequested = "auth.password_reset_requested";

    /// <summary>A person signed up (data: user_id, email).</summary>
    public const string AuthSignUp = "auth.signup";

    /// <summary>A person changed their password; every session ended (data: user_id, email).</summary>
    public const string AuthPasswordChanged = "auth.password_changed";

    /// <summary>A rotated refresh token came back: someone else holds a copy; the session ended (data: user_id, email, session_id).</summary>
    public const string AuthRefreshTokenReuseDetected = "auth.refresh_token_reuse_detected";

    /// <summary>Too many failed logins locked an account (data: user_id, email, reason, retry_after_seconds).</summary>
    public const string AuthAccountLocked = "auth.account_locked";

    /// <summary>
    /// Logins of an account are failing; at most one per account per <c>Auth:Lockout:LoginFailedEventInterval</c> (data: user_id,
    /// email, failures — the account's failed logins in the lockout window — and window_seconds).
    /// </summary>
    public const string AuthLoginFailed = "auth.login_failed";

    /// <summary>A person logged in through a social provider (data: user_id, email, provider, new_user, linked; never a token).</summary>
    public const string AuthSocialLogin = "auth.social_login";

    /// <summary>A person was removed from the organization (<c>data.user_id</c>; <c>data.connections</c>: the ids of this project's connections they created or authorized).</summary>
    public const string MemberRemoved = "member.removed";

    /// <summary>
    /// A person became a member of the organization, added directly or by accepting an invitation (data: user_id, role, and
    /// invitation_id when they accepted one).
    /// </summary>
    public const string MemberAdded = "member.added";

    /// <summary>
    /// A person was invited into an organization (data: invitation_id, organization_id, email, role, invited_by, expires_at;
    /// <c>data.sealed_link</c> holds the sealed token and link, associated data <c>{type}\n{invitation id}</c>; see InvitationDelivery).
    /// </summary>
    public const string AuthInvitationCreated = "auth.invitation_created";

    public static IReadOnlyList<string> All { get; } =
    [
        ConnectionCreated, ConnectionDeleted, ConnectionConnected, ConnectionRefreshFailed, ConnectionRefreshRecovered, ConnectionNeedsReauth,
        ConnectionRevoked, ConnectionDisabled, ConnectionEnabled, ConnectionClientSecretExpired, ConnectionScopesInsufficient,
        ConnectionAuthErrorsSpike, ConnectionServerErrorsSpike, ConnectionApiDeprecated, SecretExpiring, SecretExpired, ProviderClientSecretExpiring,
        ConnectionDeviceAuthorizationFailed, ConnectionHealthCheckFailed, EndpointDisabled, WebhookDeliveriesPoisoned, MemberRemoved, MemberAdded,
        AuthEmailVerificationRequired, AuthPasswordResetRequested, AuthSignUp, AuthPasswordChanged, AuthRefreshTokenReuseDetected, AuthAccountLocked,
        AuthLoginFailed, AuthInvitationCreated, AuthSocialLogin,
    ];

    public static bool IsKnown(string? type) => type is not null && All.Contains(type, StringComparer.Ordinal);
}
