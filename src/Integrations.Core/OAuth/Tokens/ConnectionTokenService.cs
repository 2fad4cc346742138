using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.OAuth.Protocol;
using Integrations.Core.Tenancy;
using Integrations.Core.Vault;
using Integrations.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.OAuth.Tokens;

/// <summary>
/// Keeps OAuth connections' tokens: stored as one vault secret per connection (<see cref="TokenSecrets"/>), read on the
/// hot path with one point read, refreshed single-flight — one in-flight refresh per connection in a process, and one
/// across instances under a distributed lock (a blob lease) with a re-read after taking it — and written with a
/// compare-and-swap on the secret's version, so a rotated refresh token is stored before the new access token is
/// handed out and a writer that lost the swap uses the winner's tokens.
/// </summary>
public sealed partial class ConnectionTokenService(
    VaultService vault,
    TenancyService tenancy,
    IOAuthProtocol protocol,
    ITokenClientResolver clients,
    IConnectionStateWriter states,
    IDistributedLock locks,
    TimeProvider time,
    IRandomSource random,
    IOptions<TokenLifecycleOptions> options,
    ILogger<ConnectionTokenService> logger,
    ConnectionCache? cache = null) : IConnectionTokenService
{
    /// <summary>Who the vault and the connection's state name for changes the hub makes on its own (refreshes).</summary>
    public const string Actor = "system:token-lifecycle";

    private const int MaxReasonLength = 200;

    private static readonly TimeSpan RecreateGap = TimeSpan.FromMilliseconds(100);

    // OAuth error codes (RFC 6749 §5.2) after which another request with the same grant or client cannot succeed:
    // invalid_grant (refresh token revoked, expired or reused), invalid_client and unauthorized_client (the client
    // registration was deleted or its secret rotated). All three need a person; retrying only hammers the provider.
    private static readonly string[] FinalErrors = ["invalid_grant", "invalid_client", "unauthorized_client"];

    private static readonly IReadOnlyDictionary<string, string> TokenMetadata = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["managed_by"] = "connection-token-service",
    };

    private readonly ConcurrentDictionary<string, Flight> _flights = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task<Result<AccessToken>> GetAsync(Connection connection, bool forceRefresh = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (Refuse(connection) is { } refused)
        {
            return refused;
        }

        // The hottest path: a token this instance read moments ago, still outside its refresh skew. Every write of the
        // token secret on this instance (refresh, grant, revocation) and every state change empties the entry.
        if (!forceRefresh && cache is not null && cache.TryGetToken(connection, out var cached))
        {
            return cached;
        }

        var epoch = cache?.Epoch ?? 0;
        var read = await ReadAsync(connection, cancellationToken).ConfigureAwait(false);
        if (!read.IsSuccess)
        {
            return read.Error;
        }

        var stored = read.Value;
        if (stored is null && connection.State.Status is ConnectionStatus.Active or ConnectionStatus.RefreshFailing or ConnectionStatus.ScopesInsufficient)
        {
            // A connected connection without tokens: most likely the moment its token secret is created again after
            // reaching its version limit (see RecreateAsync). Look once more before answering "not connected".
            await Task.Delay(RecreateGap, time, cancellationToken).ConfigureAwait(false);
            read = await ReadAsync(connection, cancellationToken).ConfigureAwait(false);
            if (!read.IsSuccess)
            {
                return read.Error;
            }

            stored = read.Value;
        }

        var now = time.GetUtcNow();
        // The hot path: one point read, and the token is outside its skew.
        if (stored is not null && !forceRefresh && stored.Set.IsFreshAt(now))
        {
            var token = stored.Set.ToAccessToken();
            cache?.SetToken(connection, token, stored.Set.RefreshAt, epoch);
            return token;
        }

        return await RefreshIfNeededAsync(connection, stored, forceRefresh, now, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Result<AccessToken>> RefreshAfterRejectionAsync(Connection connection, string rejectedAccessToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rejectedAccessToken);
        // The upstream refused this token: no call on this instance gets it from the cache again.
        cache?.EvictToken(connection);
        if (Refuse(connection) is { } refused)
        {
            return refused;
        }

        var read = await ReadAsync(connection, cancellationToken).ConfigureAwait(false);
        if (!read.IsSuccess)
        {
            return read.Error;
        }

        var stored = read.Value;
        var now = time.GetUtcNow();
        if (stored is not null && !SameToken(stored.Set.AccessToken, rejectedAccessToken))
        {
            // Another caller already replaced the rejected token: use the stored one (refreshing it only if it is due).
            return stored.Set.IsFreshAt(now)
                ? stored.Set.ToAccessToken()
                : await RefreshIfNeededAsync(connection, stored, forceRefresh: false, now, cancellationToken).ConfigureAwait(false);
        }

        return await RefreshIfNeededAsync(connection, stored, forceRefresh: true, now, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Result<ConnectionState>> StoreGrantAsync(
        Connection connection, TokenResponse response, ConnectedAccount? account, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(actor);
        if (!ConnectionTypes.IsOAuth(connection.Type))
        {
            return NotOAuth(connection);
        }

        var client = await clients.ResolveAsync(connection, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            Log.ProviderUnusable(logger, connection.Id, client.Error.Code);
            return client.Error;
        }

        var now = time.GetUtcNow();
        var wanted = WantedScopes(connection, client.Value.Provider);
        var set = Build(connection, client.Value.Provider, response, previous: null, wanted, now);
        // A grant replaces whatever is stored (no compare-and-swap): a refresh racing it loses its swap and takes these tokens.
        var written = await WriteLatestAsync(connection, set, actor, cancellationToken).ConfigureAwait(false);
        if (!written.IsSuccess)
        {
            return written.Error;
        }

        var (status, reason) = GrantedStatus(wanted, set.Scopes);
        return await states.ChangeAsync(connection, s => s with
        {
            Status = status,
            StatusReason = reason,
            AuthorizedBy = actor,
            Account = account ?? s.Account,
            ExternalIds = ProviderAccountIds.Capture(client.Value.Provider.TemplateId, response, account ?? s.Account, s.ExternalIds),
            GrantedScopes = set.Scopes,
            ExpiresAt = set.ExpiresAt,
            NextRefreshAt = set.RefreshAt,
            LastRefreshedAt = now,
            LastError = null,
        }, actor, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<RevocationOutcome> RevokeAsync(Connection connection, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(actor);
        if (!ConnectionTypes.IsOAuth(connection.Type))
        {
            return new RevocationOutcome(TokenRevocation.NotApplicable, "The connection has no OAuth tokens.");
        }

        // Under the refresh lock (waited for within the bound), so no refresh stores new tokens after they are forgotten;
        // revocation goes ahead without it rather than fail: forgetting the tokens matters more.
        var held = await AcquireWithinBoundAsync(LockName(connection), cancellationToken).ConfigureAwait(false);
        try
        {
            var read = await ReadAsync(connection, cancellationToken).ConfigureAwait(false);
            var outcome = read is { IsSuccess: true, Value: { } stored }
                ? await RevokeAtProviderAsync(connection, stored.Set, cancellationToken).ConfigureAwait(false)
                : new RevocationOutcome(TokenRevocation.NotApplicable, "No tokens were stored: nothing to revoke at the provider.");
            await ForgetAsync(connection, actor, cancellationToken).ConfigureAwait(false);
            await ChangeStateAsync(connection, s => s with
            {
                Status = ConnectionStatus.Revoked,
                StatusReason = $"Revoked by {actor}. {outcome.Detail}",
                GrantedScopes = [],
                ExpiresAt = null,
                NextRefreshAt = null,
            }, actor, cancellationToken).ConfigureAwait(false);
            return outcome;
        }
        finally
        {
            if (held is not null)
            {
                await held.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The name of the distributed lock that serialises the refreshes of <paramref name="connection"/>.</summary>
    public static string LockName(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return $"oauth-refresh/{connection.OrganizationId}/{connection.ProjectId}/{connection.Id}";
    }

    private async Task<Result<AccessToken>> RefreshIfNeededAsync(Connection connection, Stored? stored, bool forceRefresh, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (stored is null && (connection.Type != ConnectionType.OAuth2ClientCredentials || connection.State.Status == ConnectionStatus.Revoked))
        {
            return NotConnected();
        }

        if (stored is null && connection.State.Status == ConnectionStatus.NeedsReauth)
        {
            // A client-credentials connection whose provider refused the client: no new grant on every call — a person
            // fixes the client and connects it again (a grant through StoreGrantAsync).
            return NeedsReauth(connection.State.StatusReason ?? "The provider refused the hub's client: fix it and connect the connection again.");
        }

        if (stored?.Set.ReauthReason is { } reauthReason)
        {
            // The provider refused this grant for good: no request until a new grant replaces it. The access token
            // still works until it expires (unless the caller asks for a new one).
            return !forceRefresh && stored.Set.IsUsableAt(now) ? stored.Set.ToAccessToken() : NeedsReauth(reauthReason);
        }

        var mustReplace = forceRefresh || stored is null || !stored.Set.IsUsableAt(now);
        return await SingleFlightAsync(connection, stored, mustReplace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One refresh per connection in this process: every caller that needs one while it runs awaits the same task. The
    /// flight itself runs without the first caller's cancellation token (each caller stops waiting on its own), so one
    /// caller giving up cannot fail the others; it is bounded by the lock wait and the protocol client's timeouts.
    /// </summary>
    private async Task<Result<AccessToken>> SingleFlightAsync(Connection connection, Stored? seen, bool mustReplace, CancellationToken cancellationToken)
    {
        var key = LockName(connection);
        for (var attempt = 0; ; attempt++)
        {
            var mine = new Flight(mustReplace);
            var flight = _flights.GetOrAdd(key, mine);
            if (ReferenceEquals(flight, mine))
            {
                mine.Start(() => RefreshAcrossInstancesAsync(connection, seen, mustReplace), () => _flights.TryRemove(new KeyValuePair<string, Flight>(key, mine)));
            }

            var outcome = await flight.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
            // A caller that must not get its token back joined a flight that was allowed to keep it (the token was only
            // inside its skew) and got exactly that token: fly once more, for a replacement.
            if (mustReplace && !flight.MustReplace && attempt == 0 && seen is not null && outcome.Version == seen.Version)
            {
                continue;
            }

            return outcome.Result;
        }
    }

    /// <summary>
    /// The refresh across instances: under the connection's distributed lock, after a re-read. Without the lock, a
    /// still-valid token is answered at once (another instance is refreshing it); otherwise the caller re-reads with a
    /// short jittered pause until the tokens change, the lock frees up, or <see cref="TokenLifecycleOptions.RefreshWaitTimeout"/> passes.
    /// </summary>
    private async Task<FlightOutcome> RefreshAcrossInstancesAsync(Connection connection, Stored? seen, bool mustReplace)
    {
        var lockName = LockName(connection);
        var deadline = time.GetUtcNow() + options.Value.RefreshWaitTimeout;
        while (true)
        {
            var held = await locks.TryAcquireAsync(lockName).ConfigureAwait(false);
            if (held is not null)
            {
                await using (held.ConfigureAwait(false))
                {
                    return await RefreshUnderLockAsync(connection, seen, mustReplace, held.Lost).ConfigureAwait(false);
                }
            }

            var now = time.GetUtcNow();
            if (!mustReplace && seen is not null && seen.Set.IsUsableAt(now))
            {
                return new FlightOutcome(seen.Set.ToAccessToken(), seen.Version);
            }

            if (now >= deadline)
            {
                Log.WaitTimedOut(logger, connection.Id, options.Value.RefreshWaitTimeout);
                return new FlightOutcome(new HubError(ErrorKind.Unavailable, TokenErrors.RefreshPending,
                    "Another instance is refreshing the connection's token and has not finished yet; retry shortly."), null);
            }

            await Task.Delay(Jittered(options.Value.RefreshPollInterval), time).ConfigureAwait(false);
            var read = await ReadAsync(connection, CancellationToken.None).ConfigureAwait(false);
            if (!read.IsSuccess)
            {
                return new FlightOutcome(read.Error, null);
            }

            if (Replaced(read.Value, seen) is { } replaced)
            {
                return replaced;
            }
        }
    }

    private async Task<FlightOutcome> RefreshUnderLockAsync(Connection connection, Stored? seen, bool mustReplace, CancellationToken lockLost)
    {
        // Re-read under the lock: another instance may have refreshed between this caller's read and its lock.
        var read = await ReadAsync(connection, lockLost).ConfigureAwait(false);
        if (!read.IsSuccess)
        {
            return new FlightOutcome(read.Error, null);
        }

        var current = read.Value;
        if (Replaced(current, seen) is { } replaced)
        {
            return replaced;
        }

        var now = time.GetUtcNow();
        if (current?.Set.ReauthReason is { } reauthReason)
        {
            return new FlightOutcome(NeedsReauth(reauthReason), current.Version);
        }

        if (current is null && connection.Type != ConnectionType.OAuth2ClientCredentials)
        {
            return new FlightOutcome(NotConnected(), null);
        }

        if (current is not null && current.Set.RefreshToken is null && connection.Type != ConnectionType.OAuth2ClientCredentials)
        {
            // Nothing to refresh with (the provider issues no refresh token): the token works until it expires, then a
            // person must connect again.
            if (!mustReplace && current.Set.IsUsableAt(now))
            {
                return new FlightOutcome(current.Set.ToAccessToken(), current.Version);
            }

            const string noRefreshToken = "The access token has expired and the provider issued no refresh token: connect the connection again.";
            await ChangeStateAsync(connection, s => Fail(s, ConnectionStatus.NeedsReauth, noRefreshToken), Actor, lockLost).ConfigureAwait(false);
            return new FlightOutcome(NeedsReauth(noRefreshToken), current.Version);
        }

        var client = await clients.ResolveAsync(connection, lockLost).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            Log.ProviderUnusable(logger, connection.Id, client.Error.Code);
            return !mustReplace && current is not null && current.Set.IsUsableAt(now)
                ? new FlightOutcome(current.Set.ToAccessToken(), current.Version)
                : new FlightOutcome(client.Error, current?.Version);
        }

        var provider = client.Value.Provider;
        var wanted = WantedScopes(connection, provider);
        // What a response without `scope` granted (RFC 6749 §5.1): for a refresh, the scopes held so far (§6).
        var requested = current is { Set.RefreshToken: not null, Set.Scopes.Count: > 0 } ? current.Set.Scopes : wanted;
        var request = current?.Set.RefreshToken is { } refreshToken
            ? new TokenRequest(client.Value.Endpoints.Token, client.Value.Credentials, "refresh_token",
                With(provider.ExtraTokenParameters, "refresh_token", refreshToken), connection.Id)
            : new TokenRequest(client.Value.Endpoints.Token, client.Value.Credentials, "client_credentials",
                wanted.Count > 0 ? With(provider.ExtraTokenParameters, "scope", string.Join(provider.ScopeSeparator, wanted)) : provider.ExtraTokenParameters,
                connection.Id);
        Log.Refreshing(logger, connection.Id, request.GrantType);
        // The span and the counter name the provider by its template (github, google, …) or id, and the grant type: never
        // the refresh token, the client secret or the provider's answer (its error description is the provider's text).
        var providerTag = provider.TemplateId ?? provider.Id;
        using var activity = HubTelemetry.StartActivity("oauth token refresh", System.Diagnostics.ActivityKind.Internal);
        activity?.SetTag(HubTelemetry.Tags.OrganizationId, connection.OrganizationId);
        activity?.SetTag(HubTelemetry.Tags.ProjectId, connection.ProjectId);
        activity?.SetTag(HubTelemetry.Tags.ConnectionId, connection.Id);
        activity?.SetTag(HubTelemetry.Tags.Provider, providerTag);
        activity?.SetTag("oauth.grant_type", request.GrantType);
        var result = await protocol.RequestTokenAsync(request, lockLost).ConfigureAwait(false);
        HubTelemetry.RecordTokenRefresh(providerTag, result.IsSuccess);
        if (!result.IsSuccess)
        {
            activity?.SetTag("oauth.failure", result.Failure.Kind.ToString());
            activity.Fail("token refresh failed");
            return await FailedAsync(connection, current, mustReplace, result.Failure, lockLost).ConfigureAwait(false);
        }

        now = time.GetUtcNow();
        var set = Build(connection, provider, result.Response, current?.Set, requested, now);
        var written = await SwapAsync(connection, set, current?.Version, lockLost).ConfigureAwait(false);
        if (!written.IsSuccess)
        {
            return new FlightOutcome(written.Error, current?.Version);
        }

        if (written.Value is not { } version)
        {
            // Lost the compare-and-swap: someone stored other tokens since the re-read (a new grant). Theirs win.
            Log.SwapLost(logger, connection.Id);
            var winner = await ReadAsync(connection, lockLost).ConfigureAwait(false);
            return !winner.IsSuccess ? new FlightOutcome(winner.Error, null)
                : winner.Value is { } w && w.Set.ReauthReason is null && w.Set.IsUsableAt(now) ? new FlightOutcome(w.Set.ToAccessToken(), w.Version)
                : new FlightOutcome(new HubError(ErrorKind.Unavailable, TokenErrors.RefreshFailed, "The connection's tokens changed during the refresh; retry."), null);
        }

        Log.Refreshed(logger, connection.Id, set.ExpiresAt, set.RefreshToken is not null && set.RefreshToken != current?.Set.RefreshToken);
        var (status, reason) = GrantedStatus(wanted, set.Scopes);
        await ChangeStateAsync(connection, s => s with
        {
            Status = s.Status is ConnectionStatus.Disabled or ConnectionStatus.Revoked or ConnectionStatus.ClientSecretExpired ? s.Status : status,
            StatusReason = s.Status is ConnectionStatus.Disabled or ConnectionStatus.Revoked or ConnectionStatus.ClientSecretExpired ? s.StatusReason : reason,
            GrantedScopes = set.Scopes,
            ExpiresAt = set.ExpiresAt,
            NextRefreshAt = set.RefreshAt,
            LastRefreshedAt = now,
            LastError = null,
        }, Actor, lockLost).ConfigureAwait(false);
        return new FlightOutcome(set.ToAccessToken(), version);
    }

    private async Task<FlightOutcome> FailedAsync(Connection connection, Stored? current, bool mustReplace, OAuthFailure failure, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (failure.Kind == OAuthFailureKind.ProtocolError && FinalErrors.Contains(failure.Error, StringComparer.Ordinal))
        {
            Log.Refused(logger, connection.Id, failure.Error!);
            var reason = $"The provider refused the refresh ({failure.Error}: {Printable(failure.Description)}): connect the connection again.";
            if (current is not null)
            {
                // Marked on the tokens themselves, so no instance asks again with this grant (a lost swap means a new
                // grant arrived meanwhile: nothing to mark).
                await SwapAsync(connection, current.Set with { ReauthReason = reason }, current.Version, cancellationToken).ConfigureAwait(false);
            }

            await ChangeStateAsync(connection, s => Fail(s, ConnectionStatus.NeedsReauth, reason), Actor, cancellationToken).ConfigureAwait(false);
            return new FlightOutcome(NeedsReauth(reason), current?.Version);
        }

        // Transient (5xx, 429, network), a malformed answer, another protocol error, or the connection's circuit is open
        // (Refused: nothing was sent, the status already says so). The protocol client's per-connection circuit spaces the
        // attempts; this keeps serving the current token while it is valid.
        Log.RefreshFailed(logger, connection.Id, failure.Kind, failure.Error, failure.StatusCode);
        if (failure.Kind != OAuthFailureKind.Refused)
        {
            var reason = $"Refreshing the token failed ({Describe(failure)}); the hub retries.";
            await ChangeStateAsync(connection, s => s.Status is ConnectionStatus.Active or ConnectionStatus.ScopesInsufficient or ConnectionStatus.RefreshFailing
                    && !(s.Status == ConnectionStatus.RefreshFailing && s.LastError == reason)
                ? Fail(s, ConnectionStatus.RefreshFailing, reason)
                : s, Actor, cancellationToken).ConfigureAwait(false);
        }

        return !mustReplace && current is not null && current.Set.IsUsableAt(now)
            ? new FlightOutcome(current.Set.ToAccessToken(), current.Version)
            : new FlightOutcome(new HubError(ErrorKind.Unavailable, TokenErrors.RefreshFailed,
                $"The connection's token could not be refreshed ({Describe(failure)}); retry later."), current?.Version);
    }

    private async Task<RevocationOutcome> RevokeAtProviderAsync(Connection connection, TokenSet set, CancellationToken cancellationToken)
    {
        var client = await clients.ResolveAsync(connection, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            Log.ProviderUnusable(logger, connection.Id, client.Error.Code);
            return new RevocationOutcome(TokenRevocation.Failed, "The provider could not be used, so the tokens were not revoked there; the hub forgot them.");
        }

        if (client.Value.Endpoints.Revocation is not { } endpoint)
        {
            return new RevocationOutcome(TokenRevocation.Unsupported, "The provider has no revocation endpoint; the hub forgot the tokens.");
        }

        // RFC 7009 §2.1: the refresh token first (revoking it should also end the access tokens of its grant), then the
        // access token, each with its token_type_hint.
        var confirmed = true;
        foreach (var (token, hint) in new[] { (set.RefreshToken, "refresh_token"), (set.AccessToken, "access_token") })
        {
            if (token is null)
            {
                continue;
            }

            var revoked = await protocol.RevokeAsync(new RevocationRequest(endpoint, client.Value.Credentials, token, hint, connection.Id), cancellationToken)
                .ConfigureAwait(false);
            if (!revoked.IsSuccess || !revoked.Value)
            {
                Log.RevocationFailed(logger, connection.Id, hint, revoked.IsSuccess ? "not confirmed" : revoked.Error.Code);
                confirmed = false;
            }
        }

        return confirmed
            ? new RevocationOutcome(TokenRevocation.Succeeded, "The provider confirmed the revocation.")
            : new RevocationOutcome(TokenRevocation.Failed, "The provider did not confirm the revocation; the hub forgot the tokens.");
    }

    /// <summary>
    /// Deletes the token secret and purges it at once: a token has no business lingering in soft delete (no one
    /// restores a revoked token), and the purge removes every version, old refresh tokens included.
    /// </summary>
    private async Task ForgetAsync(Connection connection, string actor, CancellationToken cancellationToken)
    {
        var location = TokenSecrets.LocationOf(connection);
        await vault.DeleteAsync(location, actor, cancellationToken).ConfigureAwait(false);
        await vault.PurgeAsync(location, actor, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stored tokens and their version; null when none are stored; an error when they cannot be read.</summary>
    private async Task<Result<Stored?>> ReadAsync(Connection connection, CancellationToken cancellationToken)
    {
        var revealed = await vault.RevealAsync(TokenSecrets.LocationOf(connection), null, cancellationToken).ConfigureAwait(false);
        if (!revealed.IsSuccess)
        {
            return revealed.Error.Kind == ErrorKind.NotFound ? Result.Success<Stored?>(null) : revealed.Error;
        }

        if (TokenSet.TryParse(revealed.Value.Value, connection.Id) is not { } set)
        {
            Log.Unreadable(logger, connection.Id);
            return new HubError(ErrorKind.Conflict, TokenErrors.NotConnected, "The connection's stored tokens cannot be read: connect it again.");
        }

        return new Stored(set, revealed.Value.Version);
    }

    /// <summary>
    /// Writes <paramref name="set"/> as the next version if the stored version is still <paramref name="expectedVersion"/>
    /// (or creates the secret when <paramref name="expectedVersion"/> is null and none exists). The new version's
    /// number, null when another writer came first, or an error.
    /// </summary>
    private async Task<Result<int?>> SwapAsync(Connection connection, TokenSet set, int? expectedVersion, CancellationToken cancellationToken)
    {
        if (expectedVersion is null)
        {
            var created = await CreateAsync(connection, set, Actor, cancellationToken).ConfigureAwait(false);
            return created.IsSuccess ? created.Value
                : created.Error.Code == VaultErrors.SecretExists ? Result.Success<int?>(null)
                : created.Error;
        }

        var location = TokenSecrets.LocationOf(connection);
        var updated = await vault.UpdateAsync(location, Input(set), expectedVersion, Actor, cancellationToken).ConfigureAwait(false);
        if (updated.IsSuccess)
        {
            return updated.Value.CurrentVersion;
        }

        return updated.Error switch
        {
            { Kind: ErrorKind.PreconditionFailed or ErrorKind.NotFound } => Result.Success<int?>(null),
            { Code: VaultErrors.VersionQuotaExceeded } => await RecreateAsync(connection, set, Actor, cancellationToken).ConfigureAwait(false),
            var error => error,
        };
    }

    /// <summary>Writes <paramref name="set"/> as the latest tokens whatever is stored (a new grant).</summary>
    private async Task<Result<int?>> WriteLatestAsync(Connection connection, TokenSet set, string actor, CancellationToken cancellationToken)
    {
        var location = TokenSecrets.LocationOf(connection);
        // Update first (a reconnect), create when there is nothing yet; a create racing another grant's create updates.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var updated = await vault.UpdateAsync(location, Input(set), null, actor, cancellationToken).ConfigureAwait(false);
            if (updated.IsSuccess)
            {
                return updated.Value.CurrentVersion;
            }

            if (updated.Error.Code == VaultErrors.VersionQuotaExceeded)
            {
                return await RecreateAsync(connection, set, actor, cancellationToken).ConfigureAwait(false);
            }

            if (updated.Error.Kind != ErrorKind.NotFound)
            {
                return updated.Error;
            }

            var created = await CreateAsync(connection, set, actor, cancellationToken).ConfigureAwait(false);
            if (created.IsSuccess || created.Error.Code != VaultErrors.SecretExists)
            {
                return created;
            }
        }

        return new HubError(ErrorKind.Conflict, VaultErrors.UpdateContention, "The connection's tokens are being written by many callers at once; retry.");
    }

    private async Task<Result<int?>> CreateAsync(Connection connection, TokenSet set, string actor, CancellationToken cancellationToken)
    {
        var project = await tenancy.GetProjectAsync(connection.OrganizationId, connection.ProjectId, cancellationToken).ConfigureAwait(false);
        if (project is null)
        {
            return HubError.NotFound("project");
        }

        var created = await vault.CreateAsync(project, TokenSecrets.NameFor(connection.Id), Input(set), actor, cancellationToken).ConfigureAwait(false);
        return created.IsSuccess ? created.Value.CurrentVersion : created.Error;
    }

    /// <summary>
    /// The token secret reached <see cref="VaultOptions.MaxVersionsPerSecret"/> (a refresh a day fills 500 versions in
    /// well under two years; hourly ones in three weeks): start it again — delete, purge (every old version with its old
    /// refresh token goes) and create. Runs under the refresh lock or for a new grant; a reader in the short gap
    /// finds no tokens and looks once more (<see cref="GetAsync"/>), so it answers "not connected" only if the gap outlasts that.
    /// </summary>
    private async Task<Result<int?>> RecreateAsync(Connection connection, TokenSet set, string actor, CancellationToken cancellationToken)
    {
        await ForgetAsync(connection, actor, cancellationToken).ConfigureAwait(false);
        var created = await CreateAsync(connection, set, actor, cancellationToken).ConfigureAwait(false);
        if (created.IsSuccess)
        {
            Log.Recreated(logger, connection.Id);
        }

        return created;
    }

    private async Task ChangeStateAsync(Connection connection, Func<ConnectionState, ConnectionState> change, string actor, CancellationToken cancellationToken)
    {
        // The tokens are already stored (or the failure already decided): a state write that fails is logged, not
        // passed to the caller, who gets the token (or the failure) either way.
        var changed = await states.ChangeAsync(connection, change, actor, cancellationToken).ConfigureAwait(false);
        if (!changed.IsSuccess)
        {
            Log.StateNotWritten(logger, connection.Id, changed.Error.Code);
        }
    }

    private async Task<ILockHandle?> AcquireWithinBoundAsync(string name, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + options.Value.RefreshWaitTimeout;
        while (true)
        {
            if (await locks.TryAcquireAsync(name, cancellationToken).ConfigureAwait(false) is { } held)
            {
                return held;
            }

            if (time.GetUtcNow() >= deadline)
            {
                return null;
            }

            await Task.Delay(Jittered(options.Value.RefreshPollInterval), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The stored tokens when they are not the ones <paramref name="seen"/> (someone replaced them) and are usable; else null.</summary>
    private FlightOutcome? Replaced(Stored? current, Stored? seen)
    {
        if (current is null || (seen is not null && current.Version == seen.Version))
        {
            return null;
        }

        return current.Set.ReauthReason is { } reason ? new FlightOutcome(NeedsReauth(reason), current.Version)
            : current.Set.IsUsableAt(time.GetUtcNow()) ? new FlightOutcome(current.Set.ToAccessToken(), current.Version)
            : null;
    }

    private TokenSet Build(Connection connection, OAuthProvider provider, TokenResponse response, TokenSet? previous, IReadOnlyList<string> requested, DateTimeOffset now)
    {
        // RFC 6749 §5.1: no expires_in — assume the provider's (or the hub's) default; the first 401 refreshes anyway.
        var lifetime = response.ExpiresIn ?? provider.DefaultTokenLifetime ?? options.Value.DefaultTokenLifetime;
        if (lifetime < TimeSpan.Zero)
        {
            lifetime = TimeSpan.Zero;
        }

        var expiresAt = now + lifetime;
        // A skew as long as the token's life would refresh on every call: refresh at half-life instead.
        var refreshAt = provider.RefreshSkew < lifetime ? expiresAt - provider.RefreshSkew : now + (lifetime / 2);
        return new TokenSet
        {
            ConnectionId = connection.Id,
            AccessToken = response.AccessToken,
            TokenType = string.IsNullOrEmpty(response.TokenType) ? "Bearer" : response.TokenType,
            // RFC 6749 §6: a refresh response without refresh_token leaves the old one valid.
            RefreshToken = response.RefreshToken ?? previous?.RefreshToken,
            ExpiresAt = expiresAt,
            ExpiryAssumed = response.ExpiresIn is null,
            RefreshAt = refreshAt,
            // RFC 6749 §5.1: no scope means the scope requested was granted. Some providers separate with commas.
            Scopes = response.Scope is null ? requested : TokenScopes.Parse(response.Scope),
            IssuedAt = now,
        };
    }

    private static (ConnectionStatus Status, string? Reason) GrantedStatus(IReadOnlyList<string> wanted, IReadOnlyList<string> granted)
    {
        var missing = TokenScopes.Missing(wanted, granted);
        return missing.Count == 0
            ? (ConnectionStatus.Active, null)
            : (ConnectionStatus.ScopesInsufficient, $"The provider granted fewer scopes than the connection asks for; missing: {string.Join(' ', missing)}.");
    }

    private static IReadOnlyList<string> WantedScopes(Connection connection, OAuthProvider provider) =>
        connection.Scopes.Count > 0 ? connection.Scopes : provider.DefaultScopes;

    private static ConnectionState Fail(ConnectionState state, ConnectionStatus status, string reason) =>
        state with { Status = status, StatusReason = reason, LastError = reason, NextRefreshAt = status == ConnectionStatus.NeedsReauth ? null : state.NextRefreshAt };

    private static HubError? Refuse(Connection connection)
    {
        if (!ConnectionTypes.IsOAuth(connection.Type))
        {
            return NotOAuth(connection);
        }

        return !connection.Enabled || connection.State.Status == ConnectionStatus.Disabled
            ? HubError.Conflict(TokenErrors.Disabled, "The connection is disabled: enable it first.")
            : null;
    }

    private static HubError NotOAuth(Connection connection) =>
        HubError.Conflict(TokenErrors.NotOAuth, $"The connection is of type {ConnectionTypes.NameOf(connection.Type)}: it has no OAuth tokens.");

    private static HubError NotConnected() =>
        HubError.Conflict(TokenErrors.NotConnected, "The connection has no tokens yet (or they were revoked): connect it first.");

    private static HubError NeedsReauth(string reason) => HubError.Conflict(TokenErrors.NeedsReauth, reason);

    private static SecretInput Input(TokenSet set) =>
        new(set.Serialize(), TokenSecrets.Description, null, SecretAuthTypes.OAuthToken, TokenMetadata);

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> extra, string name, string value) =>
        new(extra, StringComparer.Ordinal) { [name] = value };

    /// <summary>Compares two tokens in constant time (by their SHA-256, so neither length nor content leaks through timing).</summary>
    private static bool SameToken(string stored, string presented)
    {
        Span<byte> a = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> b = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(stored), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    private static string Describe(OAuthFailure failure) => failure.Kind switch
    {
        OAuthFailureKind.ProtocolError => $"the provider answered {Printable(failure.Error)}",
        OAuthFailureKind.Transient => failure.StatusCode is { } status ? $"the provider answered HTTP {status}" : "the provider could not be reached",
        OAuthFailureKind.MalformedResponse => "the provider's answer was not a valid token response",
        _ => "the connection's circuit is open or the endpoint was refused",
    };

    /// <summary>A provider's words, as a status reason may show them: printable characters only, bounded.</summary>
    private static string Printable(string? text)
    {
        var kept = new string((text ?? string.Empty).Where(c => !char.IsControl(c) && !char.IsSurrogate(c)).Take(MaxReasonLength).ToArray());
        return kept.Length == 0 ? "no description" : kept;
    }

    private TimeSpan Jittered(TimeSpan interval) => interval * (1 + (random.NextDouble() / 2));

    private sealed record Stored(TokenSet Set, int Version);

    private sealed record FlightOutcome(Result<AccessToken> Result, int? Version);

    /// <summary>One refresh in progress; every caller of the connection awaits <see cref="Completion"/>.</summary>
    private sealed class Flight(bool mustReplace)
    {
        private readonly TaskCompletionSource<FlightOutcome> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool MustReplace => mustReplace;

        public Task<FlightOutcome> Completion => _done.Task;

        public void Start(Func<Task<FlightOutcome>> run, Action remove) => _ = RunAsync(run, remove);

        private async Task RunAsync(Func<Task<FlightOutcome>> run, Action remove)
        {
            // Removed before completing: a caller arriving afterwards starts from a fresh read, never a finished flight.
            try
            {
                var outcome = await run().ConfigureAwait(false);
                remove();
                _done.SetResult(outcome);
            }
#pragma warning disable CA1031 // Every waiting caller must see the failure: it is handed on to them, not swallowed.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                remove();
                _done.SetException(ex);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8401, Level = LogLevel.Debug, Message = "Refreshing the token of connection {ConnectionId} ({GrantType}).")]
        public static partial void Refreshing(ILogger logger, string connectionId, string grantType);

        [LoggerMessage(EventId = 8402, Level = LogLevel.Information, Message = "Refreshed the token of connection {ConnectionId}; it expires at {ExpiresAt:O} (refresh token rotated: {Rotated}).")]
        public static partial void Refreshed(ILogger logger, string connectionId, DateTimeOffset expiresAt, bool rotated);

        [LoggerMessage(EventId = 8403, Level = LogLevel.Warning, Message = "The provider refused the refresh of connection {ConnectionId} ({Error}): it needs to be connected again.")]
        public static partial void Refused(ILogger logger, string connectionId, string error);

        [LoggerMessage(EventId = 8404, Level = LogLevel.Warning, Message = "Refreshing the token of connection {ConnectionId} failed ({Kind}, {Error}, HTTP {StatusCode}); the current token is served while it is valid.")]
        public static partial void RefreshFailed(ILogger logger, string connectionId, OAuthFailureKind kind, string? error, int? statusCode);

        [LoggerMessage(EventId = 8405, Level = LogLevel.Information, Message = "Connection {ConnectionId}: other tokens were stored first (lost compare-and-swap); those are used.")]
        public static partial void SwapLost(ILogger logger, string connectionId);

        [LoggerMessage(EventId = 8406, Level = LogLevel.Warning, Message = "Connection {ConnectionId}: no other instance finished refreshing its token within {Timeout}.")]
        public static partial void WaitTimedOut(ILogger logger, string connectionId, TimeSpan timeout);

        [LoggerMessage(EventId = 8407, Level = LogLevel.Error, Message = "The stored tokens of connection {ConnectionId} cannot be read (not a token set of this connection); it must be connected again.")]
        public static partial void Unreadable(ILogger logger, string connectionId);

        [LoggerMessage(EventId = 8408, Level = LogLevel.Warning, Message = "Revoking the {TokenTypeHint} of connection {ConnectionId} at the provider failed: {Reason}.")]
        public static partial void RevocationFailed(ILogger logger, string connectionId, string tokenTypeHint, string reason);

        [LoggerMessage(EventId = 8409, Level = LogLevel.Information, Message = "The token secret of connection {ConnectionId} reached its version limit and was created again.")]
        public static partial void Recreated(ILogger logger, string connectionId);

        [LoggerMessage(EventId = 8410, Level = LogLevel.Warning, Message = "The state of connection {ConnectionId} could not be written: {Code}.")]
        public static partial void StateNotWritten(ILogger logger, string connectionId, string code);

        [LoggerMessage(EventId = 8411, Level = LogLevel.Warning, Message = "The provider of connection {ConnectionId} cannot be used: {Code}.")]
        public static partial void ProviderUnusable(ILogger logger, string connectionId, string code);
    }
}
