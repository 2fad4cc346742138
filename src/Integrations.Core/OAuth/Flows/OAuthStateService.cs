using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Integrations.Core.Crypto;
using Integrations.Core.Identity;
using Integrations.Core.Integrity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.OAuth.Flows;

/// <summary>
/// Starts and finishes the browser half of an authorization-code flow: creates the durable state (with PKCE S256, a nonce and
/// a single-use start link), redeems the start link (binding the flow to a browser with a cookie), and consumes the state on
/// the callback — once, with a conditional write — after checking expiry, <c>iss</c> (RFC 9207) and the browser binding.
/// </summary>
/// <remarks>
/// Random values (state, start token, PKCE verifier, nonce, binding) are 256 bits from <see cref="RandomNumberGenerator"/>:
/// <see cref="Common.IRandomSource"/> is for randomness that is not a secret and says so. State and start token are stored as
/// keyed lookup hashes (<see cref="AuthorityRows.LookupHashAsync"/>, as API keys are): a reader of the table learns nothing it can
/// present, and a writer cannot plant a row for a value it chose, since it cannot compute the hash without the authority key.
/// </remarks>
public sealed partial class OAuthStateService(
    IOAuthStateStore store, EnvelopeCipher cipher, AuthorityRows authority, TimeProvider time, IOptions<OAuthStateOptions> options,
    IOptions<HubOptions> hub, ILogger<OAuthStateService> logger)
{
    /// <summary>The callback's path under <c>Hub:PublicBaseUrl</c>.</summary>
    public const string CallbackPath = "/v1/oauth/callback";

    /// <summary>The start link's path under <c>Hub:PublicBaseUrl</c>.</summary>
    public const string StartPath = "/v1/oauth/start";

    /// <summary>The length of every random value here: 32 bytes as unpadded base64url.</summary>
    public const int ValueLength = 43;

    private const int RandomBytes = 32;
    private const int MaxAuthorizationUrlLength = 16 * 1024;
    private const int MaxConsumeAttempts = 4;

    /// <summary>The redirect URI every flow uses: <c>{Hub:PublicBaseUrl}/v1/oauth/callback</c>.</summary>
    public Uri RedirectUri => PublicUrl(CallbackPath);

    /// <summary>
    /// Starts a flow: draws the state, PKCE verifier and nonce, has <paramref name="buildAuthorizationUrl"/> make the provider's
    /// authorization URL from them, and stores the state (verifier and URL sealed) with a start link.
    /// </summary>
    /// <exception cref="InvalidOperationException">The built URL is not absolute or is too long.</exception>
    public async Task<StartedOAuthFlow> CreateAsync(
        OAuthStateRequest request, Func<AuthorizationRequestValues, Uri> buildAuthorizationUrl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(buildAuthorizationUrl);
        var now = time.GetUtcNow();
        var state = NewValue();
        var startToken = NewValue();
        var verifier = request.UsePkce ? NewValue() : null;
        var nonce = NewValue();
        var values = new AuthorizationRequestValues(state, verifier is null ? null : CodeChallenge(verifier), nonce, RedirectUri);
        var authorizationUrl = buildAuthorizationUrl(values);
        if (authorizationUrl is not { IsAbsoluteUri: true } || authorizationUrl.AbsoluteUri.Length > MaxAuthorizationUrlLength)
        {
            throw new InvalidOperationException("The authorization URL must be absolute and at most 16 KiB.");
        }

        var stateHash = await LookupHashAsync(state, cancellationToken).ConfigureAwait(false);
        var startHash = await LookupHashAsync(startToken, cancellationToken).ConfigureAwait(false);
        var lifetime = options.Value.StateLifetime;
        var startLifetime = options.Value.StartLinkLifetime < lifetime ? options.Value.StartLinkLifetime : lifetime;
        var record = new OAuthState
        {
            StateHash = stateHash,
            OrganizationId = request.OrganizationId,
            ProjectId = request.ProjectId,
            ConnectionId = request.ConnectionId,
            ProviderId = request.ProviderId,
            Issuer = request.Issuer?.OriginalString,
            IssParameterRequired = request.IssParameterSupported,
            ActorId = request.ActorId,
            Scopes = request.Scopes,
            RedirectAfter = request.RedirectAfter,
            Nonce = nonce,
            SealedCodeVerifier = verifier is null ? null : await SealAsync(verifier, OAuthState.VerifierContext(request.OrganizationId, request.ProjectId, stateHash), cancellationToken).ConfigureAwait(false),
            SealedAuthorizationUrl = await SealAsync(authorizationUrl.AbsoluteUri, OAuthState.AuthorizationUrlContext(request.OrganizationId, request.ProjectId, stateHash), cancellationToken).ConfigureAwait(false),
            CreatedAt = now,
            ExpiresAt = now + lifetime,
            StartLinkHash = startHash,
            StartLinkExpiresAt = now + startLifetime,
            RequireBrowserBinding = request.RequireBrowserBinding,
        };

        if (await store.TryCreateAsync(record, cancellationToken).ConfigureAwait(false) != Common.WriteOutcome.Written)
        {
            // 256 random bits do not collide; a conflict means the store is broken, not bad luck.
            throw new InvalidOperationException("A new OAuth state collided with a stored one.");
        }

        Log.StateCreated(logger, request.OrganizationId, request.ProjectId, request.ConnectionId);
        var startUrl = new Uri(PublicUrl(StartPath).AbsoluteUri + "?t=" + startToken);
        return new StartedOAuthFlow(authorizationUrl, startUrl, record.ExpiresAt, record.StartLinkExpiresAt, record);
    }

    /// <summary>
    /// Opens a start link: once, before it expires. Records the hash of a fresh binding value on the state (conditional write,
    /// so two openings of one link cannot both succeed) and returns the value for the cookie and the URL to redirect to.
    /// </summary>
    public async Task<OAuthStartResult> StartAsync(string? startToken, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormed(startToken))
        {
            return OAuthStartResult.Refused(OAuthStartRefusal.Unknown);
        }

        var startHash = await LookupHashAsync(startToken, cancellationToken).ConfigureAwait(false);
        var state = await store.GetByStartLinkAsync(startHash, cancellationToken).ConfigureAwait(false);
        if (state is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(state.StartLinkHash), Encoding.ASCII.GetBytes(startHash)))
        {
            return OAuthStartResult.Refused(OAuthStartRefusal.Unknown);
        }

        if (state.StartLinkUsedAt is not null || state.ConsumedAt is not null)
        {
            Log.StartLinkRefused(logger, state.OrganizationId, state.ProjectId, OAuthStartRefusal.AlreadyUsed);
            return OAuthStartResult.Refused(OAuthStartRefusal.AlreadyUsed);
        }

        var now = time.GetUtcNow();
        if (now >= state.StartLinkExpiresAt || now >= state.ExpiresAt)
        {
            return OAuthStartResult.Refused(OAuthStartRefusal.Expired);
        }

        var binding = NewValue();
        var updated = state with { StartLinkUsedAt = now, BindingHash = BindingHash(binding) };
        if (await store.TryUpdateAsync(updated, cancellationToken).ConfigureAwait(false) != Common.WriteOutcome.Written)
        {
            // Another opening (or the callback) changed the row since it was read: this one did not win.
            Log.StartLinkRefused(logger, state.OrganizationId, state.ProjectId, OAuthStartRefusal.AlreadyUsed);
            return OAuthStartResult.Refused(OAuthStartRefusal.AlreadyUsed);
        }

        var url = await OpenAsync(state.SealedAuthorizationUrl, OAuthState.AuthorizationUrlContext(state.OrganizationId, state.ProjectId, state.StateHash), cancellationToken)
            .ConfigureAwait(false);
        return OAuthStartResult.Started(new Uri(url), binding, state.BindingKey, state.ExpiresAt);
    }

    /// <summary>
    /// Checks a callback's state and consumes it: exactly one of any number of concurrent callbacks with one state succeeds.
    /// Refusals for an unknown, expired or used state, a wrong or missing <c>iss</c>, or a missing or wrong binding cookie
    /// consume nothing (see remarks).
    /// </summary>
    /// <param name="stateValue">The callback's <c>state</c> parameter.</param>
    /// <param name="iss">The callback's <c>iss</c> parameter, if any (RFC 9207).</param>
    /// <param name="bindingCookie">
    /// Reads the binding cookie named for a state's <see cref="OAuthState.BindingKey"/> from the request (null when absent).
    /// </param>
    /// <param name="cancellationToken">Cancels the storage calls.</param>
    /// <remarks>
    /// A mismatch (wrong <c>iss</c>, missing or wrong cookie) does not consume the state: such a callback was not produced by
    /// the flow's own browser and provider, so letting it burn the state would hand anyone who learns a state value (a
    /// login-CSRF attacker, a mixed-up provider) a way to break the user's real flow, while refusing it costs nothing — it never
    /// reaches the token exchange, and the state still expires in minutes. Only a callback that passes every check consumes.
    /// </remarks>
    public async Task<OAuthCallbackCheck> ConsumeAsync(string? stateValue, string? iss, Func<string, string?> bindingCookie, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bindingCookie);
        if (!IsWellFormed(stateValue))
        {
            return OAuthCallbackCheck.Refused(OAuthStateRefusal.Unknown);
        }

        var stateHash = await LookupHashAsync(stateValue, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxConsumeAttempts; attempt++)
        {
            var state = await store.GetAsync(stateHash, cancellationToken).ConfigureAwait(false);
            if (state is null)
            {
                return OAuthCallbackCheck.Refused(OAuthStateRefusal.Unknown);
            }

            if (Check(state, iss, bindingCookie, time.GetUtcNow()) is { } refusal)
            {
                Log.CallbackRefused(logger, state.OrganizationId, state.ProjectId, state.ConnectionId, refusal);
                return OAuthCallbackCheck.Refused(refusal);
            }

            var consumed = state with { ConsumedAt = time.GetUtcNow() };
            if (await store.TryUpdateAsync(consumed, cancellationToken).ConfigureAwait(false) != Common.WriteOutcome.Written)
            {
                // Someone wrote the row since it was read: another callback (then the re-read says AlreadyUsed) or the start
                // link being opened (then the re-read has a binding to check). Read again and decide on what is there now.
                continue;
            }

            var verifier = consumed.SealedCodeVerifier is null
                ? null
                : await OpenAsync(consumed.SealedCodeVerifier, OAuthState.VerifierContext(consumed.OrganizationId, consumed.ProjectId, consumed.StateHash), cancellationToken)
                    .ConfigureAwait(false);
            Log.StateConsumed(logger, consumed.OrganizationId, consumed.ProjectId, consumed.ConnectionId);
            return OAuthCallbackCheck.Success(new ConsumedOAuthState(consumed, verifier, RedirectUri));
        }

        return OAuthCallbackCheck.Refused(OAuthStateRefusal.AlreadyUsed);
    }

    /// <summary>Deletes expired states (the cleanup job); returns how many.</summary>
    public async Task<int> RemoveExpiredAsync(CancellationToken cancellationToken = default)
    {
        var removed = await store.DeleteExpiredAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        Log.ExpiredRemoved(logger, removed);
        return removed;
    }

    /// <summary>SHA-256 (lowercase hex) of a binding value: what the state stores and the callback compares.</summary>
    public static string BindingHash(string bindingValue) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(bindingValue)));

    /// <summary>The PKCE S256 challenge of <paramref name="verifier"/> (RFC 7636 §4.2): BASE64URL(SHA256(ASCII(verifier))).</summary>
    public static string CodeChallenge(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>True when <paramref name="value"/> has the shape of a value drawn here (43 base64url characters).</summary>
    public static bool IsWellFormed([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? value) =>
        value is { Length: ValueLength } && Base64Url.IsValid(value);

    private static OAuthStateRefusal? Check(OAuthState state, string? iss, Func<string, string?> bindingCookie, DateTimeOffset now)
    {
        // An expired state reads as absent: nothing is done with it. The refusal says "expired" only so the page can say why.
        if (now >= state.ExpiresAt)
        {
            return OAuthStateRefusal.Expired;
        }

        if (state.ConsumedAt is not null)
        {
            return OAuthStateRefusal.AlreadyUsed;
        }

        // RFC 9207 §2.4: when iss is present it must equal the issuer the request was sent to (simple string comparison);
        // when the server advertised it, its absence is a refusal. A state with no recorded issuer cannot check an iss, so
        // one that arrives anyway is refused: a provider that sends iss must be registered with its issuer.
        if (!string.IsNullOrEmpty(iss))
        {
            if (state.Issuer is null || !string.Equals(iss, state.Issuer, StringComparison.Ordinal))
            {
                return OAuthStateRefusal.IssuerMismatch;
            }
        }
        else if (state.IssParameterRequired)
        {
            return OAuthStateRefusal.IssuerMissing;
        }

        if (state.BindingHash is { } expected)
        {
            var presented = bindingCookie(state.BindingKey);
            if (string.IsNullOrEmpty(presented))
            {
                return OAuthStateRefusal.BindingMissing;
            }

            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(BindingHash(presented))))
            {
                return OAuthStateRefusal.BindingMismatch;
            }
        }
        else if (state.RequireBrowserBinding)
        {
            return OAuthStateRefusal.BindingMissing;
        }

        return null;
    }

    private async ValueTask<string> LookupHashAsync(string value, CancellationToken cancellationToken) =>
        await authority.LookupHashAsync(SHA256.HashData(Encoding.UTF8.GetBytes(value)), cancellationToken).ConfigureAwait(false);

    private async ValueTask<SealedSecret> SealAsync(string value, SealContext context, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        try
        {
            return await cipher.SealAsync(bytes, context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private async ValueTask<string> OpenAsync(SealedSecret sealedValue, SealContext context, CancellationToken cancellationToken)
    {
        var bytes = await cipher.OpenAsync(sealedValue, context, cancellationToken).ConfigureAwait(false);
        try
        {
            return Encoding.UTF8.GetString(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private Uri PublicUrl(string path)
    {
        var baseUrl = hub.Value.PublicBaseUrl;
        if (string.IsNullOrWhiteSpace(baseUrl))
        {
            throw new InvalidOperationException("Hub:PublicBaseUrl is not set: OAuth browser flows need the hub's public URL.");
        }

        return new Uri(baseUrl.TrimEnd('/') + path);
    }

    private static string NewValue()
    {
        Span<byte> random = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(random);
        try
        {
            return Base64Url.EncodeToString(random);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(random);
        }
    }

    // Event ids 8401-8449 are OAuth browser flows'. Ids only: never a state, token, URL or cookie.
    private static partial class Log
    {
        [LoggerMessage(EventId = 8451, Level = LogLevel.Information, Message = "OAuth state created for connection {ConnectionId} ({OrganizationId}/{ProjectId}).")]
        public static partial void StateCreated(ILogger logger, string organizationId, string projectId, string connectionId);

        [LoggerMessage(EventId = 8452, Level = LogLevel.Information, Message = "OAuth state consumed for connection {ConnectionId} ({OrganizationId}/{ProjectId}).")]
        public static partial void StateConsumed(ILogger logger, string organizationId, string projectId, string connectionId);

        [LoggerMessage(EventId = 8453, Level = LogLevel.Warning, Message = "OAuth callback refused for connection {ConnectionId} ({OrganizationId}/{ProjectId}): {Refusal}.")]
        public static partial void CallbackRefused(ILogger logger, string organizationId, string projectId, string connectionId, OAuthStateRefusal refusal);

        [LoggerMessage(EventId = 8454, Level = LogLevel.Warning, Message = "OAuth start link refused ({OrganizationId}/{ProjectId}): {Refusal}.")]
        public static partial void StartLinkRefused(ILogger logger, string organizationId, string projectId, OAuthStartRefusal refusal);

        [LoggerMessage(EventId = 8455, Level = LogLevel.Information, Message = "Removed {Count} expired OAuth states.")]
        public static partial void ExpiredRemoved(ILogger logger, int count);
    }
}
