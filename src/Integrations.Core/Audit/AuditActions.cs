namespace Integrations.Core.Audit;

/// <summary>Stable action names.</summary>
public static class AuditActions
{
    public const string OrganizationCreate = "org.create";
    public const string ProjectCreate = "project.create";
    public const string ProjectList = "project.list";
    public const string SecretCreate = "secret.create";
    public const string SecretRead = "secret.read";
    public const string SecretList = "secret.list";
    public const string SecretVersions = "secret.versions";
    public const string SecretReveal = "secret.reveal";
    public const string SecretUpdate = "secret.update";
    public const string SecretPatch = "secret.patch";
    public const string SecretDelete = "secret.delete";
    public const string SecretRestore = "secret.restore";
    public const string SecretPurge = "secret.purge";
    public const string ConnectionCreate = "connection.create";
    public const string ConnectionRead = "connection.read";
    public const string ConnectionList = "connection.list";
    public const string ConnectionPatch = "connection.patch";
    public const string ConnectionDelete = "connection.delete";
    public const string ConnectionStatusRead = "connection.status.read";
    public const string ConnectionAuthorize = "connection.authorize";
    public const string ConnectionDevice = "connection.device";
    public const string ConnectionGrant = "connection.grant";

    /// <summary>An access token was handed out (reveal-like: the record never holds the token).</summary>
    public const string ConnectionToken = "connection.token";
    public const string ConnectionRevoke = "connection.revoke";

    /// <summary>Every connection of one end user revoked (each connection's own status change is recorded too).</summary>
    public const string ConnectionRevokeEndUser = "connection.revoke_end_user";

    /// <summary>A connection's status moved (written by ConnectionStateChanges, whoever asked for the move).</summary>
    public const string ConnectionStatusChange = "connection.status.change";

    /// <summary>A request sent through a connection's proxy (one outcome record per call, like any read).</summary>
    public const string ConnectionProxy = "connection.proxy";

    /// <summary>A connection's test request (POST …/test).</summary>
    public const string ConnectionTest = "connection.test";

    /// <summary>The refresh-ahead job renewed (or tried to renew) a connection's token before it fell due.</summary>
    public const string ConnectionRefreshAhead = "connection.refresh_ahead";

    /// <summary>The daily health check ran a connection's test.</summary>
    public const string ConnectionHealthCheck = "connection.health_check";
    public const string ActivityList = "activity.list";
    public const string WebhookSourceCreate = "webhook_source.create";
    public const string WebhookSourceRead = "webhook_source.read";
    public const string WebhookSourceList = "webhook_source.list";
    public const string WebhookSourcePatch = "webhook_source.patch";
    public const string WebhookSourceDelete = "webhook_source.delete";

    /// <summary>A signing secret added to a webhook source (the value is never in the record).</summary>
    public const string WebhookSourceSecretAdd = "webhook_source.secret_add";
    public const string WebhookSourceStats = "webhook_source.stats";
    public const string WebhookEndpointCreate = "webhook_endpoint.create";
    public const string WebhookEndpointRead = "webhook_endpoint.read";
    public const string WebhookEndpointList = "webhook_endpoint.list";
    public const string WebhookEndpointPatch = "webhook_endpoint.patch";
    public const string WebhookEndpointDelete = "webhook_endpoint.delete";

    /// <summary>An endpoint's signing secret rotated (the value is never in the record).</summary>
    public const string WebhookEndpointSecretRotate = "webhook_endpoint.secret_rotate";

    /// <summary>An endpoint's signing secrets revealed to the caller (the values are never in the record).</summary>
    public const string WebhookEndpointSecretReveal = "webhook_endpoint.secret_reveal";
    public const string ProviderCreate = "provider.create";
    public const string ProviderRead = "provider.read";
    public const string ProviderList = "provider.list";
    public const string ProviderPatch = "provider.patch";
    public const string ProviderDelete = "provider.delete";
    public const string ProviderTemplateRead = "provider_template.read";
    public const string ApiKeyCreate = "apikey.create";
    public const string ApiKeyList = "apikey.list";
    public const string ApiKeyRevoke = "apikey.revoke";

    /// <summary>A key revoked because a key above it (its creator, or theirs) was revoked; one record per key.</summary>
    public const string ApiKeyRevokeCascade = "apikey.revoke.cascade";

    /// <summary>An expired or revoked key's rows removed by the cleanup job after <c>Hub:EndedApiKeyRetention</c>.</summary>
    public const string ApiKeyCleanup = "apikey.cleanup";
    public const string KeyRotationStart = "keys.rotate";
    public const string KeyRotationRead = "keys.rotation.read";
    public const string AuthVerifyEmail = "auth.verify_email";
    public const string AuthPasswordResetRequest = "auth.password_reset.request";
    public const string AuthPasswordResetConfirm = "auth.password_reset.confirm";
    public const string AdminUserCreate = "admin.users.create";
    public const string AdminUserList = "admin.users.list";
    public const string AdminUserUnlock = "admin.users.unlock";
    public const string AdminUserVerify = "admin.users.verify";
    public const string AdminUserLogout = "admin.users.logout";
    public const string AdminUserPasswordReset = "admin.users.password_reset";
    public const string AdminUserDelete = "admin.users.delete";
    public const string AuditKeyRotate = "keys.auditkey.rotate";

    /// <summary>A new access-token signing key made the signer (<c>ihub keys rotate-signing-key</c>).</summary>
    public const string SigningKeyRotate = "keys.signingkey.rotate";
    public const string AuditRead = "audit.read";
    public const string AuditRetentionRead = "audit.retention.read";
    public const string AuditRetentionSet = "audit.retention.set";

    public const string OAuthSettingsRead = "oauth.settings.read";
    public const string OAuthSettingsSet = "oauth.settings.set";

    /// <summary>A row that grants authority (an API key, a project's organization) failed its MAC and was refused.</summary>
    public const string IntegrityViolation = "integrity.violation";

    /// <summary><c>ihub upgrade</c> brought the foundation's authority rows over to the MAC'd format.</summary>
    public const string AuthorityUpgrade = "authority.upgrade";

    /// <summary>People's own account routes (sign-up, login, refresh, logout, password change, <c>GET /v1/me</c>): never a password or token.</summary>
    public const string UserSignUp = "user.signup";
    public const string UserLogin = "user.login";
    public const string UserRefresh = "user.refresh";
    public const string UserLogout = "user.logout";
    public const string UserLogoutAll = "user.logout_all";
    public const string UserPasswordChange = "user.password_change";
    public const string UserRead = "user.read";

    /// <summary>Social login (the platform's key logs a person in) and a person's own social connections (list, remove).</summary>
    public const string UserSocialLogin = "user.social_login";
    public const string UserSocialConnectionList = "user.social_connection.list";
    public const string UserSocialConnectionDelete = "user.social_connection.delete";

    /// <summary>An organization's member routes: the list, a role change, a removal (the target is the member's user id).</summary>
    public const string MemberList = "member.list";
    public const string MemberChange = "member.change";
    public const string MemberRemove = "member.remove";
    public const string MemberAdd = "member.add";

    /// <summary>Invitations: create, list and revoke (target <c>invitation/{id}</c>), and a person accepting one.</summary>
    public const string InvitationCreate = "invitation.create";
    public const string InvitationList = "invitation.list";
    public const string InvitationRevoke = "invitation.revoke";
    public const string InvitationAccept = "invitation.accept";

    /// <summary>A summary of failed authentications from one address within a minute, with their count.</summary>
    public const string AuthenticationFailures = "auth.failures";

    /// <summary>A summary of one credential's requests refused by its rate limit within a minute, with their count.</summary>
    public const string RateLimited = "ratelimit.exceeded";

    /// <summary>A webhook delivery refused by its source's scheme (bad signature, stale, malformed): the reason, never the secret or signature.</summary>
    public const string WebhookRefused = "webhook.refused";
    public const string WebhookEventList = "webhook_event.list";
    public const string WebhookEventRead = "webhook_event.read";

    /// <summary>A stored webhook event put back on its project's queue (and its received-event handlers run again).</summary>
    public const string WebhookEventReplay = "webhook_event.replay";

    /// <summary>An outbound message sent (<c>POST …/messages</c>); a repeat with the same idempotency key is recorded too.</summary>
    public const string MessageSend = "message.send";
    public const string MessageList = "message.list";
    public const string MessageRead = "message.read";
    public const string MessageAttempts = "message.attempts";

    /// <summary>An outbound message's deliveries (all, or one endpoint's) queued again.</summary>
    public const string MessageReplay = "message.replay";

    /// <summary>An endpoint's failed deliveries since a time queued again.</summary>
    public const string WebhookEndpointRecover = "webhook_endpoint.recover";
    public const string WebhookEndpointAttempts = "webhook_endpoint.attempts";
    public const string WebhookEndpointStats = "webhook_endpoint.stats";

    /// <summary>A direct send (<c>POST …/sends</c>): the record names the send, never its URL path, headers or body.</summary>
    public const string SendCreate = "send.create";
    public const string SendRead = "send.read";
}
