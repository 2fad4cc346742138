using System.Text.RegularExpressions;
using Duende.IdentityModel.Client;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.OAuth.Protocol;
using Integrations.Core.OAuth.Tokens;
using Integrations.Core.Tenancy;
using Microsoft.Extensions.Logging;
using DeviceAuthorizationRequest = Integrations.Core.OAuth.Protocol.DeviceAuthorizationRequest;
using TokenRequest = Integrations.Core.OAuth.Protocol.TokenRequest;
using TokenResponse = Integrations.Core.OAuth.Protocol.TokenResponse;

namespace Integrations.Core.OAuth.Flows;

/// <summary>
/// Connects OAuth connections: starts the authorization-code flow (state from <see cref="OAuthStateService"/>, the URL built
/// with Duende's <see cref="RequestUrl"/> from those values), finishes it on the callback (code exchange with the PKCE verifier,
/// id token and userinfo), and runs the direct grants (password, client credentials, token exchange, JWT bearer, any other).
/// Every success ends in <see cref="IConnectionTokenService.StoreGrantAsync"/>: the one place tokens are stored. Anything
/// refused stores nothing.
/// </summary>
public sealed partial class ConnectFlowService(
    ConnectionService connections, IConnectionStore connectionStore, IProviderStore providers, ProviderService providerService,
    IProjectOAuthSettingsStore settings, RedirectAfterPolicy redirectPolicy, OAuthStateService states, IOAuthProtocol protocol,
    IConnectionTokenService tokens, ITokenClientResolver clients, ILogger<ConnectFlowService> logger)
{
    /// <summary>The RFC 8628 device grant type.</summary>
    public const string DeviceCodeGrantType = "urn:ietf:params:oauth:grant-type:device_code";

    /// <summary>Parameters a caller may never send with a grant: client authentication and the grant type are the hub's (RFC 6749 §2.3, RFC 7521 §4.2).</summary>
    public static IReadOnlySet<string> ReservedGrantParameters { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "grant_type", "client_id", "client_secret", "client_assertion", "client_assertion_type", "code", "code_verifier", "redirect_uri", "device_code", "refresh_token",
    };

    private const int MaxGrantParameters = 30;
    private const int MaxGrantParameterLength = 16 * 1024;

    /// <summary>Grant types the generic route leaves to their own flows (a browser, a device, the hub's refresh).</summary>
    private static readonly HashSet<string> OwnFlowGrants = new(StringComparer.Ordinal) { "authorization_code", "refresh_token", DeviceCodeGrantType, "implicit" };

    [GeneratedRegex("^[A-Za-z0-9._:~/+-]{1,200}$", RegexOptions.CultureInvariant)]
    private static partial Regex GrantTypeShape();

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterNameShape();

    /// <summary>
    /// Starts an authorization-code flow for an <c>oauth2_authorization_code</c> connection: checks <paramref name="redirectAfter"/>
    /// against the project's allowed origins, stores the state (PKCE S256, nonce) and returns the provider URL and start link.
    /// A connection in <c>scopes_insufficient</c> asks for its scopes and those already granted (re-consent for the missing ones).
    /// </summary>
    public async Task<Result<StartedOAuthFlow>> AuthorizeAsync(
        Project project, string? connectionId, string? redirectAfter, IReadOnlyList<string>? scopes, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        var found = await connections.GetAsync(project, connectionId, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var connection = found.Value;
        if (Usable(connection, ConnectionType.OAuth2AuthorizationCode, "authorize") is { } unusable)
        {
            return unusable;
        }

        var allowed = (await settings.GetAsync(project.OrganizationId, project.Id, cancellationToken).ConfigureAwait(false))?.AllowedRedirectOrigins ?? [];
        var redirect = redirectPolicy.Check(redirectAfter, allowed);
        if (!redirect.IsSuccess)
        {
            return redirect.Error;
        }

        var provider = await ProviderOfAsync(connection, cancellationToken).ConfigureAwait(false);
        if (!provider.IsSuccess)
        {
            return provider.Error;
        }

        var endpoints = await providerService.ResolveEndpointsAsync(provider.Value, cancellationToken).ConfigureAwait(false);
        if (!endpoints.IsSuccess)
        {
            return endpoints.Error;
        }

        if (endpoints.Value.Authorization is not { } authorizationEndpoint)
        {
            return HubError.Invalid(ProviderErrors.MissingEndpoints, "The provider has no authorization endpoint: it cannot be used for the authorization code grant.");
        }

        var requested = RequestedScopes(connection, provider.Value, scopes);
        if (ProviderRules.ValidateScopes(requested, provider.Value.ScopeSeparator) is { } invalidScopes)
        {
            return invalidScopes with { Field = "scopes" };
        }

        var p = provider.Value;
        var flow = await states.CreateAsync(
            new OAuthStateRequest
            {
                OrganizationId = connection.OrganizationId,
                ProjectId = connection.ProjectId,
                ConnectionId = connection.Id,
                ProviderId = p.Id,
                Issuer = endpoints.Value.Issuer,
                IssParameterSupported = endpoints.Value.AuthorizationResponseIssParameterSupported,
                ActorId = actor,
                Scopes = requested,
                RedirectAfter = redirect.Value,
                UsePkce = p.UsePkce,
            },
            values => BuildAuthorizationUrl(authorizationEndpoint, p, requested, values),
            cancellationToken).ConfigureAwait(false);
        Log.FlowStarted(logger, connection.Id, requested.Count);
        return flow;
    }

    /// <summary>
    /// Finishes a flow whose state the callback has consumed: exchanges <paramref name="code"/> (with the PKCE verifier and the
    /// same redirect_uri), validates the id token against the state's nonce when the provider is OpenID Connect, reads userinfo
    /// when it has one, and stores the grant as the caller who started the flow.
    /// </summary>
    /// <param name="callbackParameters">
    /// The callback's other query parameters a grant keeps as provider-side ids (<see cref="ProviderAccountIds.CallbackParameters"/>,
    /// e.g. GitHub's <c>installation_id</c>); anything else is ignored.
    /// </param>
    public async Task<Result<ConnectionState>> CompleteAuthorizationAsync(
        ConsumedOAuthState consumed, string? code, IReadOnlyDictionary<string, string?>? callbackParameters = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consumed);
        var state = consumed.State;
        if (string.IsNullOrEmpty(code) || code.Length > MaxGrantParameterLength)
        {
            return HubError.Invalid(ConnectFlowErrors.CodeMissing, "The provider's answer carried no authorization code.");
        }

        var connection = await connectionStore.GetAsync(state.OrganizationId, state.ProjectId, state.ConnectionId, cancellationToken).ConfigureAwait(false);
        if (connection is null || connection.ProviderId != state.ProviderId || connection.Type != ConnectionType.OAuth2AuthorizationCode)
        {
            return HubError.Invalid(ConnectFlowErrors.ConnectionChanged, "The connection was deleted or changed while the sign-in was under way. Start again.");
        }

        if (connection.State.Status == ConnectionStatus.Disabled || !connection.Enabled)
        {
            return HubError.Conflict(ConnectFlowErrors.ConnectionDisabled, "The connection was disabled while the sign-in was under way.");
        }

        var client = await ClientOfAsync(connection, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return client.Error;
        }

        var (provider, endpoints, credentials) = client.Value;
        var parameters = new Dictionary<string, string>(provider.ExtraTokenParameters, StringComparer.Ordinal)
        {
            ["code"] = code,
            ["redirect_uri"] = consumed.RedirectUri.AbsoluteUri,
        };
        if (consumed.CodeVerifier is { } verifier)
        {
            parameters["code_verifier"] = verifier;
        }

        var result = await protocol.RequestTokenAsync(new TokenRequest(endpoints.Token, credentials, "authorization_code", parameters, connection.Id), cancellationToken)
            .ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return Refused(connection, "authorization_code", result.Failure);
        }

        var account = await AccountOfAsync(connection, provider, endpoints, state, result.Response, cancellationToken).ConfigureAwait(false);
        if (!account.IsSuccess)
        {
            return account.Error;
        }

        return await tokens.StoreGrantAsync(connection, WithCallbackParameters(result.Response, callbackParameters), account.Value, state.ActorId, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// A direct grant: <c>password</c> for <c>oauth2_password</c>, <c>client_credentials</c> for <c>oauth2_client_credentials</c>
    /// (the first token now), and any grant but the browser, device and refresh ones for <c>oauth2_generic</c> (token exchange,
    /// JWT bearer …). <paramref name="parameters"/> may hold credentials: they go to the token endpoint and nowhere else.
    /// </summary>
    public async Task<Result<ConnectionState>> GrantAsync(
        Project project, string? connectionId, string? grantType, IReadOnlyDictionary<string, string?>? parameters, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        var found = await connections.GetAsync(project, connectionId, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var connection = found.Value;
        var grant = GrantTypeFor(connection, grantType);
        if (!grant.IsSuccess)
        {
            return grant.Error;
        }

        if (Usable(connection, connection.Type, "grant") is { } unusable)
        {
            return unusable;
        }

        var supplied = CheckParameters(parameters, grant.Value);
        if (!supplied.IsSuccess)
        {
            return supplied.Error;
        }

        var client = await ClientOfAsync(connection, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return client.Error;
        }

        var (provider, endpoints, credentials) = client.Value;
        var sent = new Dictionary<string, string>(provider.ExtraTokenParameters, StringComparer.Ordinal);
        foreach (var (name, value) in supplied.Value)
        {
            sent[name] = value;
        }

        var wanted = connection.Scopes.Count > 0 ? connection.Scopes : provider.DefaultScopes;
        if (!sent.ContainsKey("scope") && wanted.Count > 0)
        {
            sent["scope"] = string.Join(provider.ScopeSeparator, wanted);
        }

        var result = await protocol.RequestTokenAsync(new TokenRequest(endpoints.Token, credentials, grant.Value, sent, connection.Id), cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return Refused(connection, grant.Value, result.Failure);
        }

        ConnectedAccount? account = null;
        if (result.Response.IdToken is { } idToken && endpoints.JwksUri is { } jwks && endpoints.Issuer is { } issuer)
        {
            // No nonce was sent with a direct grant; an id token, if any, is still checked for signature, issuer and audience.
            var validated = await protocol.ValidateIdTokenAsync(idToken, new IdTokenExpectations(jwks, issuer.OriginalString, credentials.ClientId, "", connection.Id), cancellationToken)
                .ConfigureAwait(false);
            account = validated.IsSuccess ? validated.Value : null;
        }

        return await tokens.StoreGrantAsync(connection, result.Response, account, actor, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts RFC 8628 device authorization for an <c>oauth2_device</c> connection (§3.1–3.2).</summary>
    public async Task<Result<(Connection Connection, DeviceAuthorization Authorization)>> StartDeviceAsync(
        Project project, string? connectionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        var found = await connections.GetAsync(project, connectionId, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var connection = found.Value;
        if (Usable(connection, ConnectionType.OAuth2Device, "device") is { } unusable)
        {
            return unusable;
        }

        var client = await ClientOfAsync(connection, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return client.Error;
        }

        var (provider, endpoints, credentials) = client.Value;
        if (endpoints.DeviceAuthorization is not { } deviceEndpoint)
        {
            return HubError.Invalid(ConnectFlowErrors.DeviceNotSupported, "The provider has no device authorization endpoint (endpoints.device_authorization).");
        }

        var wanted = connection.Scopes.Count > 0 ? connection.Scopes : provider.DefaultScopes;
        var started = await protocol.RequestDeviceAuthorizationAsync(
            new DeviceAuthorizationRequest(deviceEndpoint, credentials, wanted.Count > 0 ? string.Join(provider.ScopeSeparator, wanted) : null,
                new Dictionary<string, string>(StringComparer.Ordinal), connection.Id),
            cancellationToken).ConfigureAwait(false);
        if (!started.IsSuccess)
        {
            return started.Error;
        }

        return (connection, started.Value);
    }

    /// <summary>One RFC 8628 §3.4 poll of the token endpoint with <paramref name="deviceCode"/>.</summary>
    public async Task<Result<TokenResult>> PollDeviceAsync(Connection connection, string deviceCode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var client = await ClientOfAsync(connection, cancellationToken).ConfigureAwait(false);
        if (!client.IsSuccess)
        {
            return client.Error;
        }

        var (provider, endpoints, credentials) = client.Value;
        var parameters = new Dictionary<string, string>(provider.ExtraTokenParameters, StringComparer.Ordinal) { ["device_code"] = deviceCode };
        return await protocol.RequestTokenAsync(new TokenRequest(endpoints.Token, credentials, DeviceCodeGrantType, parameters, connection.Id), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The scopes an authorization asks for: the caller's or the connection's (else the provider's), plus the granted ones on re-consent.</summary>
    public static IReadOnlyList<string> RequestedScopes(Connection connection, OAuthProvider provider, IReadOnlyList<string>? scopes)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(provider);
        var wanted = connection.Scopes.Count > 0 ? connection.Scopes : provider.DefaultScopes;
        IEnumerable<string> requested = scopes is { Count: > 0 } ? scopes : wanted;
        if (connection.State.Status == ConnectionStatus.ScopesInsufficient)
        {
            // Re-consent: what the connection needs and what it already holds, so the new grant loses nothing.
            requested = requested.Concat(wanted).Concat(connection.State.GrantedScopes);
        }

        return requested.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// The callback parameters that name provider-side ids, added to the response's extra members under
    /// <see cref="ProviderAccountIds.CallbackPrefix"/> so the grant keeps them. They come from the user's browser, not the provider:
    /// GitHub warns that installation_id can be spoofed, so it only ever narrows which connections a revocation names.
    /// </summary>
    private static TokenResponse WithCallbackParameters(TokenResponse response, IReadOnlyDictionary<string, string?>? callbackParameters)
    {
        if (callbackParameters is null)
        {
            return response;
        }

        Dictionary<string, string>? extra = null;
        foreach (var name in ProviderAccountIds.CallbackParameters)
        {
            if (callbackParameters.GetValueOrDefault(name) is { } value && ProviderAccountIds.IsId(value))
            {
                extra ??= new Dictionary<string, string>(response.Extra, StringComparer.Ordinal);
                extra[ProviderAccountIds.CallbackPrefix + name] = value;
            }
        }

        return extra is null ? response : response with { Extra = extra };
    }

    private static Uri BuildAuthorizationUrl(Uri endpoint, OAuthProvider provider, IReadOnlyList<string> scopes, AuthorizationRequestValues values)
    {
        // Stored extras were checked on write and are checked again: none may replace a protocol parameter.
        var extra = new Parameters();
        foreach (var (name, value) in provider.ExtraAuthorizationParameters)
        {
            if (!ProviderRules.ProtocolParameters.Contains(name))
            {
                extra.Add(name, value);
            }
        }

        var openId = scopes.Contains("openid", StringComparer.Ordinal);
        var url = new RequestUrl(endpoint.AbsoluteUri).CreateAuthorizeUrl(
            clientId: provider.ClientId,
            responseType: "code",
            scope: scopes.Count == 0 ? null : string.Join(provider.ScopeSeparator, scopes),
            redirectUri: values.RedirectUri.AbsoluteUri,
            state: values.State,
            nonce: openId ? values.Nonce : null,
            codeChallenge: values.CodeChallenge,
            codeChallengeMethod: values.CodeChallenge is null ? null : AuthorizationRequestValues.CodeChallengeMethod,
            extra: extra);
        return new Uri(url);
    }

    private static HubError? Usable(Connection connection, ConnectionType expected, string route)
    {
        if (connection.Type != expected)
        {
            return HubError.Invalid(ConnectFlowErrors.WrongConnectionType,
                $"'{route}' is not how a {ConnectionTypes.NameOf(connection.Type)} connection is connected.", "type");
        }

        return connection.State.Status == ConnectionStatus.Disabled || !connection.Enabled
            ? HubError.Conflict(ConnectFlowErrors.ConnectionDisabled, "The connection is disabled: enable it before connecting it.")
            : null;
    }

    private static Result<string> GrantTypeFor(Connection connection, string? grantType)
    {
        switch (connection.Type)
        {
            case ConnectionType.OAuth2Password:
                return grantType is null or "password"
                    ? "password"
                    : HubError.Invalid(ConnectFlowErrors.InvalidGrantType, "An oauth2_password connection uses grant_type password.", "grant_type");
            case ConnectionType.OAuth2ClientCredentials:
                return grantType is null or "client_credentials"
                    ? "client_credentials"
                    : HubError.Invalid(ConnectFlowErrors.InvalidGrantType, "An oauth2_client_credentials connection uses grant_type client_credentials.", "grant_type");
            case ConnectionType.OAuth2Generic:
                if (grantType is null || !GrantTypeShape().IsMatch(grantType))
                {
                    return HubError.Invalid(ConnectFlowErrors.InvalidGrantType, "grant_type is required: a grant type name or URI (e.g. urn:ietf:params:oauth:grant-type:token-exchange).", "grant_type");
                }

                return OwnFlowGrants.Contains(grantType)
                    ? HubError.Invalid(ConnectFlowErrors.InvalidGrantType, $"grant_type {grantType} has its own flow (authorize, device, or the hub's refresh).", "grant_type")
                    : grantType;
            default:
                return HubError.Invalid(ConnectFlowErrors.WrongConnectionType,
                    $"'grant' is not how a {ConnectionTypes.NameOf(connection.Type)} connection is connected.", "type");
        }
    }

    private static Result<IReadOnlyDictionary<string, string>> CheckParameters(IReadOnlyDictionary<string, string?>? parameters, string grantType)
    {
        var checkedParameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parameters is not null)
        {
            if (parameters.Count > MaxGrantParameters)
            {
                return HubError.Invalid(ConnectFlowErrors.InvalidGrantParameters, $"At most {MaxGrantParameters} parameters.", "parameters");
            }

            foreach (var (name, value) in parameters)
            {
                if (!ParameterNameShape().IsMatch(name))
                {
                    // The name is the caller's input and may be anything: not echoed.
                    return HubError.Invalid(ConnectFlowErrors.InvalidGrantParameters, "A parameter name is not of the form [A-Za-z0-9._:-]{1,100}.", "parameters");
                }

                if (ReservedGrantParameters.Contains(name))
                {
                    // The name matched the fixed list, so it can be quoted.
                    return HubError.Invalid(ConnectFlowErrors.InvalidGrantParameters,
                        $"parameters cannot set '{name.ToLowerInvariant()}': the hub sets the grant type and authenticates as the provider's client.", "parameters");
                }

                if (value is null || value.Length > MaxGrantParameterLength)
                {
                    return HubError.Invalid(ConnectFlowErrors.InvalidGrantParameters, "Every parameter needs a string value of at most 16 KiB.", "parameters");
                }

                checkedParameters[name] = value;
            }
        }

        string[] required = grantType switch
        {
            "password" => ["username", "password"],
            "urn:ietf:params:oauth:grant-type:token-exchange" => ["subject_token", "subject_token_type"],
            "urn:ietf:params:oauth:grant-type:jwt-bearer" => ["assertion"],
            _ => [],
        };
        foreach (var name in required)
        {
            if (!checkedParameters.ContainsKey(name))
            {
                return HubError.Invalid(ConnectFlowErrors.InvalidGrantParameters, $"grant_type {grantType} needs parameters.{name}.", "parameters." + name);
            }
        }

        return checkedParameters;
    }

    private async Task<Result<OAuthProvider>> ProviderOfAsync(Connection connection, CancellationToken cancellationToken)
    {
        var provider = connection.ProviderId is { } id
            ? await providers.GetAsync(connection.OrganizationId, connection.ProjectId, id, cancellationToken).ConfigureAwait(false)
            : null;
        return provider is null ? HubError.NotFound("provider") : provider;
    }

    /// <summary>The connection's provider, endpoints and client credentials — resolved as every token request resolves them.</summary>
    private async Task<Result<(OAuthProvider Provider, ProviderEndpoints Endpoints, OAuthClientCredentials Credentials)>> ClientOfAsync(Connection connection, CancellationToken cancellationToken)
    {
        var client = await clients.ResolveAsync(connection, cancellationToken).ConfigureAwait(false);
        return client.IsSuccess ? (client.Value.Provider, client.Value.Endpoints, client.Value.Credentials) : client.Error;
    }

    /// <summary>
    /// Who the connection acts as. OpenID Connect (<c>openid</c> asked for, or an id token sent): the id token must validate
    /// against the provider's JWKS, issuer, our client id and this flow's nonce (OpenID Connect Core §3.1.3.7); userinfo, when
    /// the provider has one, must name the same subject (§5.3.2). Plain OAuth: userinfo if there is one, best effort.
    /// </summary>
    private async Task<Result<ConnectedAccount?>> AccountOfAsync(
        Connection connection, OAuthProvider provider, ProviderEndpoints endpoints, OAuthState state,
        TokenResponse response, CancellationToken cancellationToken)
    {
        var openId = state.Scopes.Contains("openid", StringComparer.Ordinal);
        ConnectedAccount? account = null;
        if (openId || response.IdToken is not null)
        {
            if (response.IdToken is not { } idToken)
            {
                return HubError.Invalid(ConnectFlowErrors.IdTokenInvalid, "openid was asked for but the provider returned no id_token.");
            }

            var issuer = endpoints.Issuer?.OriginalString ?? state.Issuer;
            if (endpoints.JwksUri is not { } jwks || issuer is null)
            {
                return HubError.Invalid(ConnectFlowErrors.IdTokenInvalid, "The provider sent an id_token but has no issuer or jwks_uri to check it against.");
            }

            var validated = await protocol.ValidateIdTokenAsync(idToken, new IdTokenExpectations(jwks, issuer, provider.ClientId, state.Nonce, connection.Id), cancellationToken)
                .ConfigureAwait(false);
            if (!validated.IsSuccess)
            {
                Log.IdTokenRefused(logger, connection.Id, validated.Error.Code);
                return HubError.Invalid(ConnectFlowErrors.IdTokenInvalid, "The provider's id_token did not validate (signature, issuer, audience, nonce or expiry).");
            }

            account = validated.Value;
        }

        if (endpoints.UserInfo is { } userInfo)
        {
            var info = await protocol.GetUserInfoAsync(userInfo, response.AccessToken, connection.Id, cancellationToken).ConfigureAwait(false);
            if (info.IsSuccess)
            {
                if (account?.Subject is { } subject && info.Value.Subject is { } infoSubject && !string.Equals(subject, infoSubject, StringComparison.Ordinal))
                {
                    return HubError.Invalid(ConnectFlowErrors.IdTokenInvalid, "The userinfo response names another subject than the id_token.");
                }

                account = new ConnectedAccount(account?.Subject ?? info.Value.Subject, info.Value.Email ?? account?.Email, info.Value.Name ?? account?.Name);
            }
            else
            {
                Log.UserInfoFailed(logger, connection.Id, info.Error.Code);
            }
        }

        return Result.Success(account);
    }

    private HubError Refused(Connection connection, string grantType, OAuthFailure failure)
    {
        Log.GrantFailed(logger, connection.Id, grantType, failure.Kind, failure.Error);
        return failure.Kind == OAuthFailureKind.ProtocolError
            ? HubError.Invalid(ConnectFlowErrors.GrantRefused, $"The provider refused the grant: {failure.Error ?? "error"}.")
            : new HubError(ErrorKind.Unavailable, ConnectFlowErrors.ProviderUnavailable, "The provider's token endpoint could not be used now; try again later.");
    }

    // Event ids 8461-8479: connect flows. Ids and codes only: never a code, token, parameter value or URL.
    private static partial class Log
    {
        [LoggerMessage(EventId = 8461, Level = LogLevel.Information, Message = "Authorization started for connection {ConnectionId} ({ScopeCount} scopes).")]
        public static partial void FlowStarted(ILogger logger, string connectionId, int scopeCount);

        [LoggerMessage(EventId = 8462, Level = LogLevel.Warning, Message = "Grant {GrantType} for connection {ConnectionId} failed: {Kind} {Error}.")]
        public static partial void GrantFailed(ILogger logger, string connectionId, string grantType, OAuthFailureKind kind, string? error);

        [LoggerMessage(EventId = 8463, Level = LogLevel.Warning, Message = "The id token for connection {ConnectionId} was refused: {Code}.")]
        public static partial void IdTokenRefused(ILogger logger, string connectionId, string code);

        [LoggerMessage(EventId = 8464, Level = LogLevel.Warning, Message = "Userinfo for connection {ConnectionId} could not be read: {Code}.")]
        public static partial void UserInfoFailed(ILogger logger, string connectionId, string code);
    }
}
