using System.Globalization;
using System.Text.Json;
using Integrations.Core.Audit;
using Integrations.Core.Connections;
using Integrations.Core.Crypto;
using Integrations.Core.Identity;
using Integrations.Core.OAuth.Flows;
using Integrations.Core.Tenancy;
using Microsoft.Extensions.Logging;

namespace Integrations.Core.Integrity;

/// <summary>
/// Authenticates the rows that grant authority, so that write access to the storage account cannot mint or widen access:
/// API keys are found by a keyed lookup hash, and every API-key row and project → organization row carries a MAC under
/// the ring's authority key over its authority fields. Stores sign what they write and verify what they read; a row that
/// fails is refused (as if it did not exist), logged at Error and audited as <see cref="AuditActions.IntegrityViolation"/>.
/// </summary>
/// <remarks>
/// Rows written before this (the foundation's format, no MAC) are refused too: they are brought over once by
/// <c>ihub upgrade</c>, never on read, because a storage writer can write a row "in the old format" as easily as a new one.
/// </remarks>
public sealed partial class AuthorityRows(KeyRing keys, AuditLog audit, ILogger<AuthorityRows> logger)
{
    /// <summary>The format of a MAC'd authority row (the <c>Format</c> column). Rows without one are the foundation's.</summary>
    public const int RowFormat = 2;

    /// <summary>The MAC domain of an API-key row.</summary>
    public const string ApiKeyKind = "apikey/v1";

    /// <summary>The MAC domain of a project → organization row.</summary>
    public const string ProjectKind = "project/v1";

    /// <summary>
    /// The MAC domain of an organization's audit retention row: it decides which sealed records the cleanup deletes and how
    /// young an anchor verification accepts, so a storage writer must not be able to shorten it.
    /// </summary>
    public const string AuditRetentionKind = "auditretention/v1";

    /// <summary>
    /// The MAC domain of an OAuth state row: it decides which connection a code is redeemed for, where the browser goes after,
    /// and whether a browser binding is required, so a storage writer must not be able to change any of it.
    /// </summary>
    public const string OAuthStateKind = "oauthstate/v1";

    /// <summary>The MAC domain of a project's OAuth settings row (its allowed redirect origins decide where browsers are sent).</summary>
    public const string OAuthSettingsKind = "oauthsettings/v1";

    /// <summary>
    /// The MAC domain of an OAuth provider row: its endpoints, issuer, client id, client secret and key references, client
    /// authentication and extra parameters decide where the hub sends client secrets and refresh tokens and what it sends.
    /// </summary>
    public const string ProviderKind = "provider/v1";

    /// <summary>
    /// The MAC domain of a connection's configuration row: its base URL, type, provider, secret references, API-key placement,
    /// default headers, policy and end user decide where injected credentials and tokens go.
    /// </summary>
    public const string ConnectionKind = "connection/v1";

    /// <summary>
    /// The MAC domain of a webhook source row: its scheme, settings, keys (which vault secrets verify deliveries, and until
    /// when) and enabled flag decide which forged deliveries would pass, so a storage writer must not be able to change any of it.
    /// </summary>
    public const string WebhookSourceKind = "webhook-source/v1";

    /// <summary>
    /// The MAC domain of an outbound webhook endpoint row: its URL, headers, filter and keys (which vault secrets sign) decide
    /// where a project's events go and who can verify them, so a storage writer must not be able to change any of it.
    /// </summary>
    public const string WebhookEndpointKind = "webhook-endpoint/v1";

    private const int MaxReportedIdLength = 100;

    /// <summary>The lookup hash of an API key from its SHA-256 digest (<see cref="ApiKeyToken.Digest"/>).</summary>
    public async ValueTask<string> LookupHashAsync(byte[] sha256Digest, CancellationToken cancellationToken = default) =>
        (await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false)).LookupHash(sha256Digest);

    /// <summary><paramref name="key"/> with its MAC set.</summary>
    public async ValueTask<ApiKey> SignAsync(ApiKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return key with { Mac = authority.RowMac(ApiKeyKind, Fields(key)) };
    }

    /// <summary>True when the key's MAC covers its authority fields as they are.</summary>
    public async ValueTask<bool> VerifyAsync(ApiKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.VerifyRowMac(ApiKeyKind, Fields(key), key.Mac);
    }

    /// <summary><paramref name="project"/> with its MAC set.</summary>
    public async ValueTask<Project> SignAsync(Project project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return project with { Mac = authority.RowMac(ProjectKind, Fields(project)) };
    }

    /// <summary>True when the project's MAC binds it to its organization.</summary>
    public async ValueTask<bool> VerifyAsync(Project project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.VerifyRowMac(ProjectKind, Fields(project), project.Mac);
    }

    /// <summary>The MAC of an organization's audit retention setting (in days).</summary>
    public async ValueTask<string> SignAuditRetentionAsync(string organizationId, int days, CancellationToken cancellationToken = default)
    {
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.RowMac(AuditRetentionKind, RetentionFields(organizationId, days));
    }

    /// <summary>True when <paramref name="mac"/> binds <paramref name="days"/> to <paramref name="organizationId"/>.</summary>
    public async ValueTask<bool> VerifyAuditRetentionAsync(string organizationId, int days, string? mac, CancellationToken cancellationToken = default)
    {
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.VerifyRowMac(AuditRetentionKind, RetentionFields(organizationId, days), mac);
    }

    /// <summary><paramref name="state"/>'s MAC over every field (<see cref="Fields(OAuthState)"/>).</summary>
    public async ValueTask<string> SignAsync(OAuthState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.RowMac(OAuthStateKind, Fields(state));
    }

    /// <summary>True when <paramref name="mac"/> covers the state's fields as they are.</summary>
    public async ValueTask<bool> VerifyAsync(OAuthState state, string? mac, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.VerifyRowMac(OAuthStateKind, Fields(state), mac);
    }

    /// <summary>The MAC of a project's OAuth settings.</summary>
    public async ValueTask<string> SignAsync(ProjectOAuthSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.RowMac(OAuthSettingsKind, Fields(settings));
    }

    /// <summary>True when <paramref name="mac"/> binds the settings to their project.</summary>
    public async ValueTask<bool> VerifyAsync(ProjectOAuthSettings settings, string? mac, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.VerifyRowMac(OAuthSettingsKind, Fields(settings), mac);
    }

    /// <summary>
    /// The MAC of a provider row: its organization, project and id (from the row's keys) and its stored settings document
    /// byte for byte. The document is the whole provider (every field, so a field added later is covered without a change
    /// here); secrets are only named in it, never held.
    /// </summary>
    public async ValueTask<string> SignProviderAsync(string organizationId, string projectId, string providerId, string document, CancellationToken cancellationToken = default)
    {
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.RowMac(ProviderKind, ProviderFields(organizationId, projectId, providerId, document));
    }

    /// <summary>True when <paramref name="mac"/> binds <paramref name="document"/> to the provider row at these keys.</summary>
    public async ValueTask<bool> VerifyProviderAsync(
        string organizationId, string projectId, string providerId, string document, string? mac, CancellationToken cancellationToken = default)
    {
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.VerifyRowMac(ProviderKind, ProviderFields(organizationId, projectId, providerId, document), mac);
    }

    /// <summary>The MAC of a webhook source row: its organization, project and id (from the row's keys) and its stored document byte for byte.</summary>
    public async ValueTask<string> SignWebhookSourceAsync(string organizationId, string projectId, string sourceId, string document, CancellationToken cancellationToken = default)
    {
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.RowMac(WebhookSourceKind, ProviderFields(organizationId, projectId, sourceId, document));
    }

    /// <summary>True when <paramref name="mac"/> binds <paramref name="document"/> to the webhook source row at these keys.</summary>
    public async ValueTask<bool> VerifyWebhookSourceAsync(
        string organizationId, string projectId, string sourceId, string document, string? mac, CancellationToken cancellationToken = default)
    {
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.VerifyRowMac(WebhookSourceKind, ProviderFields(organizationId, projectId, sourceId, document), mac);
    }

    /// <summary>The MAC of an outbound webhook endpoint row: its organization, project and id (from the row's keys) and its stored document byte for byte.</summary>
    public async ValueTask<string> SignWebhookEndpointAsync(string organizationId, string projectId, string endpointId, string document, CancellationToken cancellationToken = default)
    {
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.RowMac(WebhookEndpointKind, ProviderFields(organizationId, projectId, endpointId, document));
    }

    /// <summary>True when <paramref name="mac"/> binds <paramref name="document"/> to the webhook endpoint row at these keys.</summary>
    public async ValueTask<bool> VerifyWebhookEndpointAsync(
        string organizationId, string projectId, string endpointId, string document, string? mac, CancellationToken cancellationToken = default)
    {
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.VerifyRowMac(WebhookEndpointKind, ProviderFields(organizationId, projectId, endpointId, document), mac);
    }

    /// <summary>The MAC of a connection's configuration (<see cref="Fields(Connection)"/>).</summary>
    public async ValueTask<string> SignAsync(Connection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.RowMac(ConnectionKind, Fields(connection));
    }

    /// <summary>True when <paramref name="mac"/> covers the connection's configuration as it is, at its organization, project and id.</summary>
    public async ValueTask<bool> VerifyAsync(Connection connection, string? mac, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.VerifyRowMac(ConnectionKind, Fields(connection), mac);
    }

    /// <summary>
    /// Records a refused row: an Error log event (id 1201) and a platform audit record. The row's own organization is not
    /// trusted (it may be what was forged), so the record goes to the platform log. Throws
    /// <see cref="AuditUnavailableException"/> when the record cannot be written: the request then fails closed.
    /// </summary>
    /// <param name="rowKind">What was refused (<see cref="ApiKeyKind"/>, <see cref="ProjectKind"/>).</param>
    /// <param name="rowId">The row's id as stored (shortened; it is attacker-controlled text).</param>
    /// <param name="reason">Why: a MAC that does not match, no MAC (a row in the foundation's format), keys out of place.</param>
    /// <param name="status">The HTTP status the request gets, as for an unknown object (401 for a key, 404 for a project).</param>
    public async Task ReportAsync(string rowKind, string? rowId, string reason, int status, CancellationToken cancellationToken = default)
    {
        var shown = rowId is null ? "?" : rowId.Length > MaxReportedIdLength ? rowId[..MaxReportedIdLength] : rowId;
        Log.RowRefused(logger, rowKind, shown, reason);
        await audit.WriteAsync(
            new AuditEvent(AuditPartition.Platform, null, AuditActions.IntegrityViolation, AuditOutcomes.Denied, status, "System", "integrity",
                Target: $"{rowKind}/{shown}"),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The authority fields of an API key, in MAC order. A new field that grants or limits authority is appended here (and
    /// the kind's version raised if old MACs must stop verifying). <c>ParentKeyId</c> (keys created by keys) goes last.
    /// </summary>
    public static IReadOnlyList<string?> Fields(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return
        [
            key.Id,
            key.OrganizationId,
            string.Join(' ', key.Scopes),
            Time(key.ExpiresAt),
            Time(key.RevokedAt),
            key.Hash,
            key.CreatedBy,
            Time(key.CreatedAt),
            key.ParentKeyId, // Who created it: cascade revocation follows it, so it must not be re-parented.
        ];
    }

    /// <summary>The authority fields of a project: its id and the organization it belongs to.</summary>
    public static IReadOnlyList<string?> Fields(Project project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return [project.Id, project.OrganizationId];
    }

    /// <summary>Every field of an OAuth state, in MAC order: the sealed values too (their bytes), and the ones that change.</summary>
    public static IReadOnlyList<string?> Fields(OAuthState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return
        [
            state.StateHash,
            state.OrganizationId,
            state.ProjectId,
            state.ConnectionId,
            state.ProviderId,
            state.Issuer,
            state.IssParameterRequired ? "1" : "0",
            state.ActorId,
            string.Join(' ', state.Scopes),
            state.RedirectAfter?.AbsoluteUri,
            state.Nonce,
            state.SealedCodeVerifier is null ? null : Convert.ToBase64String(state.SealedCodeVerifier.Bytes),
            Convert.ToBase64String(state.SealedAuthorizationUrl.Bytes),
            Time(state.CreatedAt),
            Time(state.ExpiresAt),
            state.StartLinkHash,
            Time(state.StartLinkExpiresAt),
            Time(state.StartLinkUsedAt),
            state.BindingHash,
            state.RequireBrowserBinding ? "1" : "0",
            Time(state.ConsumedAt),
        ];
    }

    /// <summary>The fields of a project's OAuth settings: the project and its origins.</summary>
    public static IReadOnlyList<string?> Fields(ProjectOAuthSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return [settings.OrganizationId, settings.ProjectId, string.Join(' ', settings.AllowedRedirectOrigins)];
    }

    /// <summary>
    /// Every field of a connection's configuration, in MAC order: all of <see cref="Connection"/> but its
    /// <see cref="Connection.State"/> (a row of its own) and ETag. Organization, project and id are the row's keys as the
    /// store read them. Values are in the form the table round-trips (milliseconds; maps ordered by key).
    /// </summary>
    public static IReadOnlyList<string?> Fields(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return
        [
            connection.OrganizationId,
            connection.ProjectId,
            connection.Id,
            connection.Name,
            ConnectionTypes.NameOf(connection.Type),
            connection.ProviderId,
            connection.Description,
            connection.BaseUrl?.OriginalString,
            Map(connection.DefaultHeaders),
            ((long)connection.Timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            connection.Retries.ToString(CultureInfo.InvariantCulture),
            connection.RetryStrategy,
            connection.Enabled ? "1" : "0",
            Map(connection.SecretRefs),
            connection.ApiKey?.In.ToString(),
            connection.ApiKey?.Name,
            JsonSerializer.Serialize(connection.Scopes),
            connection.EndUser?.Id,
            connection.EndUser?.DisplayName,
            JsonSerializer.Serialize(connection.Policy.Select(r => new object[] { r.Effect.ToString(), r.Methods, r.PathGlob })),
            connection.TestMethod,
            connection.TestPath,
            connection.CreatedBy,
            Time(connection.CreatedAt),
            Time(connection.UpdatedAt),
        ];
    }

    private static string?[] ProviderFields(string organizationId, string projectId, string providerId, string document) =>
        [organizationId, projectId, providerId, document];

    // A map as JSON pairs ordered by key: the same bytes whatever order or comparer the dictionary was built with.
    private static string Map(IReadOnlyDictionary<string, string> map) =>
        JsonSerializer.Serialize(map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new[] { p.Key, p.Value }));

    private static string?[] RetentionFields(string organizationId, int days) => [organizationId, days.ToString(CultureInfo.InvariantCulture)];

    // Milliseconds since the epoch: the precision Table Storage round-trips on every emulator and service.
    private static string? Time(DateTimeOffset? value) =>
        value?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    // Event ids 1201-1299 are authority integrity's.
    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, Level = LogLevel.Error, Message = "Integrity violation: {RowKind} row {RowId} refused ({Reason}).")]
        public static partial void RowRefused(ILogger logger, string rowKind, string rowId, string reason);
    }
}
