using System.Globalization;
using System.Text.Json;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.OAuth.Protocol;
using Integrations.Http.Client;
using Integrations.Http.Resilience;
using Microsoft.Extensions.Logging;
using Duende.IdentityModel.Client;
using Idm = Duende.IdentityModel.Client;
using DeviceAuthorizationRequest = Integrations.Core.OAuth.Protocol.DeviceAuthorizationRequest;
using TokenRequest = Integrations.Core.OAuth.Protocol.TokenRequest;
using TokenResponse = Integrations.Core.OAuth.Protocol.TokenResponse;

namespace Integrations.Http.OAuth;

/// <summary>
/// <see cref="IOAuthProtocol"/> over Duende.IdentityModel's protocol messages, sent through <see cref="OutboundHttpClient"/>
/// (SSRF guard, a circuit per <c>CircuitKey</c>, a response cap of <see cref="MaxResponseBytes"/>).
/// </summary>
/// <remarks>
/// Retries: <c>exponential_backoff_jitter</c> (jitter, so many connections failing together do not retry in step).
/// A grant that spends a single-use credential — <c>authorization_code</c>, <c>refresh_token</c> (rotating providers
/// consume it), <c>device_code</c> (the poller's interval is its retry) — gets one attempt: when a request timed out or
/// its answer was lost after the provider acted on it, a retry would present a spent credential and earn an
/// <c>invalid_grant</c> that looks like a revoked connection. The caller (the token lifecycle) backs off and retries
/// with a fresh look at the stored state. Repeatable requests (client credentials, password, token exchange, JWT
/// bearer, device authorization, revocation, userinfo, JWKS) get two attempts.
/// </remarks>
internal sealed class OAuthProtocol(OutboundHttpClient http, IdTokenValidator idTokens, TimeProvider time, ILogger<OAuthProtocol> logger) : IOAuthProtocol
{
    /// <summary>Cap on every OAuth response body: token responses are a few KiB; a larger one is a fault, not data.</summary>
    public const long MaxResponseBytes = 64 * 1024;

    public const string DeviceCodeGrantType = "urn:ietf:params:oauth:grant-type:device_code";
    public const string TokenExchangeGrantType = "urn:ietf:params:oauth:grant-type:token-exchange";

    private static readonly HashSet<string> SingleUseGrants = new(StringComparer.Ordinal) { "authorization_code", "refresh_token", DeviceCodeGrantType };

    // Members of a token response that are not copied to TokenResponse.Extra: the known ones, and anything that may be a credential.
    private static readonly HashSet<string> KnownMembers = new(StringComparer.Ordinal)
    {
        "access_token", "token_type", "expires_in", "refresh_token", "scope", "id_token",
    };

    public async Task<TokenResult> RequestTokenAsync(TokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parameters = new Dictionary<string, string>(request.Parameters, StringComparer.Ordinal);
        parameters.Remove("grant_type");
        var secrets = Secrets(request.Client, request.Parameters.Values);
        var bridge = new OutboundBridge(http, CallOptions(request.CircuitKey, SingleUseGrants.Contains(request.GrantType) ? 1 : 2));
        using var invoker = new HttpMessageInvoker(bridge, disposeHandler: true);

        using var message = CreateTokenRequest(request.GrantType, parameters);
        message.Address = request.TokenEndpoint.AbsoluteUri;
        ClientAuthentication.Apply(message, request.Client, request.TokenEndpoint, time);
        foreach (var (name, value) in parameters)
        {
            message.Parameters.AddOptional(name, value);
        }

        var response = await SendTokenRequestAsync(invoker, message, cancellationToken).ConfigureAwait(false);
        using var outbound = bridge.Result;
        var result = ProviderAnswer.Classify(response, outbound, request.TokenEndpoint, secrets, time) is { } failure
            ? TokenResult.Failed(failure.Failure)
            : ReadToken(response.Json!.Value, request.TokenEndpoint, (int)response.HttpStatusCode);

        if (result.IsSuccess)
        {
            OAuthLog.TokenIssued(logger, request.GrantType, request.TokenEndpoint.Authority, request.CircuitKey, result.Response.RefreshToken is not null, result.Response.ExpiresIn);
        }
        else
        {
            LogFailure("token request (" + request.GrantType + ")", request.TokenEndpoint, request.CircuitKey, result.Failure);
        }

        return result;
    }

    public async Task<Result<DeviceAuthorization>> RequestDeviceAuthorizationAsync(DeviceAuthorizationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bridge = new OutboundBridge(http, CallOptions(request.CircuitKey, 2));
        using var invoker = new HttpMessageInvoker(bridge, disposeHandler: true);
        using var message = new Idm.DeviceAuthorizationRequest { Address = request.Endpoint.AbsoluteUri, Scope = request.Scope };
        ClientAuthentication.Apply(message, request.Client, request.Endpoint, time);
        foreach (var (name, value) in request.ExtraParameters)
        {
            message.Parameters.AddOptional(name, value);
        }

        var response = await Idm.HttpClientDeviceFlowExtensions.RequestDeviceAuthorizationAsync(invoker, message, cancellationToken).ConfigureAwait(false);
        using var outbound = bridge.Result;
        DeviceAuthorization? authorization = null;
        var failure = ProviderAnswer.Classify(response, outbound, request.Endpoint, Secrets(request.Client, []), time)
            ?? ReadDeviceAuthorization(response.Json!.Value, request.Endpoint, (int)response.HttpStatusCode, out authorization);
        if (failure is not null)
        {
            LogFailure("device authorization", request.Endpoint, request.CircuitKey, failure.Failure);
            return failure.Error;
        }

        OAuthLog.CallSucceeded(logger, "device authorization", request.Endpoint.Authority, request.CircuitKey);
        return authorization!;
    }

    public async Task<Result<bool>> RevokeAsync(RevocationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bridge = new OutboundBridge(http, CallOptions(request.CircuitKey, 2));
        using var invoker = new HttpMessageInvoker(bridge, disposeHandler: true);
        using var message = new Idm.TokenRevocationRequest { Address = request.Endpoint.AbsoluteUri, Token = request.Token, TokenTypeHint = request.TokenTypeHint };
        ClientAuthentication.Apply(message, request.Client, request.Endpoint, time);

        var response = await Idm.HttpClientTokenRevocationExtensions.RevokeTokenAsync(invoker, message, cancellationToken).ConfigureAwait(false);
        using var outbound = bridge.Result;
        // RFC 7009 §2.2: 200 with any (usually empty) body is success; an error is §5.2 JSON.
        if (outbound?.Response is { IsSuccessStatusCode: true })
        {
            OAuthLog.CallSucceeded(logger, "revocation", request.Endpoint.Authority, request.CircuitKey);
            return true;
        }

        var failure = ProviderAnswer.Classify(response, outbound, request.Endpoint, Secrets(request.Client, [request.Token]), time)
            ?? ProviderAnswer.Malformed(request.Endpoint, "an unexpected status to a revocation", (int?)outbound?.Response?.StatusCode);
        LogFailure("revocation", request.Endpoint, request.CircuitKey, failure.Failure);
        return failure.Error;
    }

    public async Task<Result<ConnectedAccount>> GetUserInfoAsync(Uri endpoint, string accessToken, string circuitKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        var bridge = new OutboundBridge(http, CallOptions(circuitKey, 2));
        using var invoker = new HttpMessageInvoker(bridge, disposeHandler: true);
        using var message = new Idm.UserInfoRequest { Address = endpoint.AbsoluteUri, Token = accessToken };

        var response = await Idm.HttpClientUserInfoExtensions.GetUserInfoAsync(invoker, message, cancellationToken).ConfigureAwait(false);
        using var outbound = bridge.Result;
        var failure = ProviderAnswer.Classify(response, outbound, endpoint, [accessToken], time);
        if (failure is null)
        {
            var json = response.Json!.Value;
            var subject = String(json, "sub");
            if (!string.IsNullOrEmpty(subject))
            {
                OAuthLog.CallSucceeded(logger, "userinfo", endpoint.Authority, circuitKey);
                return new ConnectedAccount(subject, String(json, "email"), String(json, "name"));
            }

            failure = ProviderAnswer.Malformed(endpoint, "a userinfo response without sub", (int)response.HttpStatusCode);
        }

        LogFailure("userinfo", endpoint, circuitKey, failure.Failure);
        return failure.Error;
    }

    public Task<Result<ConnectedAccount>> ValidateIdTokenAsync(string idToken, IdTokenExpectations expectations, CancellationToken cancellationToken = default) =>
        idTokens.ValidateAsync(idToken, expectations, cancellationToken);

    internal static OutboundCallOptions CallOptions(string circuitKey, int attempts) => new()
    {
        Strategy = RetryStrategies.ExponentialBackoffJitter,
        MaxAttempts = attempts,
        TargetKey = circuitKey,
        MaxResponseBytes = MaxResponseBytes,
    };

    private static Idm.TokenRequest CreateTokenRequest(string grantType, Dictionary<string, string> parameters) => grantType switch
    {
        "authorization_code" => new Idm.AuthorizationCodeTokenRequest
        {
            Code = Required(parameters, "code"),
            RedirectUri = Required(parameters, "redirect_uri"),
            CodeVerifier = Take(parameters, "code_verifier"),
        },
        "refresh_token" => new Idm.RefreshTokenRequest { RefreshToken = Required(parameters, "refresh_token"), Scope = Take(parameters, "scope") },
        "client_credentials" => new Idm.ClientCredentialsTokenRequest { Scope = Take(parameters, "scope") },
        "password" => new Idm.PasswordTokenRequest
        {
            UserName = Required(parameters, "username"),
            Password = Take(parameters, "password") ?? "",
            Scope = Take(parameters, "scope"),
        },
        DeviceCodeGrantType => new Idm.DeviceTokenRequest { DeviceCode = Required(parameters, "device_code") },
        TokenExchangeGrantType => new Idm.TokenExchangeTokenRequest
        {
            SubjectToken = Required(parameters, "subject_token"),
            SubjectTokenType = Required(parameters, "subject_token_type"),
            Resource = Take(parameters, "resource"),
            Audience = Take(parameters, "audience"),
            Scope = Take(parameters, "scope"),
            RequestedTokenType = Take(parameters, "requested_token_type"),
            ActorToken = Take(parameters, "actor_token"),
            ActorTokenType = Take(parameters, "actor_token_type"),
        },
        // JWT bearer (RFC 7523 §2.1: grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer, assertion=…) and any other grant.
        _ => new Idm.TokenRequest { GrantType = grantType },
    };

    private static Task<Idm.TokenResponse> SendTokenRequestAsync(HttpMessageInvoker invoker, Idm.TokenRequest message, CancellationToken cancellationToken) => message switch
    {
        Idm.AuthorizationCodeTokenRequest code => invoker.RequestAuthorizationCodeTokenAsync(code, cancellationToken),
        Idm.RefreshTokenRequest refresh => invoker.RequestRefreshTokenAsync(refresh, cancellationToken),
        Idm.ClientCredentialsTokenRequest client => invoker.RequestClientCredentialsTokenAsync(client, cancellationToken),
        Idm.PasswordTokenRequest password => invoker.RequestPasswordTokenAsync(password, cancellationToken),
        Idm.DeviceTokenRequest device => invoker.RequestDeviceTokenAsync(device, cancellationToken),
        Idm.TokenExchangeTokenRequest exchange => invoker.RequestTokenExchangeTokenAsync(exchange, cancellationToken),
        Idm.TokenRequest generic => invoker.RequestTokenAsync(generic, cancellationToken),
        _ => throw new InvalidOperationException("Unknown token request type."),
    };

    private static TokenResult ReadToken(JsonElement json, Uri endpoint, int status)
    {
        if (String(json, "access_token") is not { Length: > 0 } accessToken)
        {
            return TokenResult.Failed(ProviderAnswer.Malformed(endpoint, "a token response without access_token", status).Failure);
        }

        TimeSpan? expiresIn = null;
        if (json.TryGetProperty("expires_in", out var expires) && expires.ValueKind != JsonValueKind.Null)
        {
            // A number by RFC 6749 §5.1; some providers send it as a string.
            var text = expires.ValueKind is JsonValueKind.Number or JsonValueKind.String ? expires.ToString() : null;
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > int.MaxValue)
            {
                return TokenResult.Failed(ProviderAnswer.Malformed(endpoint, "a token response whose expires_in is not a number of seconds", status).Failure);
            }

            expiresIn = TimeSpan.FromSeconds(seconds);
        }

        var tokenType = String(json, "token_type");
        // RFC 6749 §7.1: the type is case-insensitive; "bearer" is common. A missing type is read as Bearer (some providers omit it).
        tokenType = tokenType is null || tokenType.Equals("bearer", StringComparison.OrdinalIgnoreCase) ? "Bearer" : tokenType;
        var scope = String(json, "scope");
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in json.EnumerateObject())
        {
            if (!KnownMembers.Contains(member.Name) && !MayBeCredential(member.Name)
                && member.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
            {
                extra[member.Name] = member.Value.ToString();
            }
            else if (!KnownMembers.Contains(member.Name) && !MayBeCredential(member.Name) && member.Value.ValueKind == JsonValueKind.Object)
            {
                // One level of nesting, as parent.child: Slack's oauth.v2.access names the workspace and user only inside
                // "team": {"id"}, "enterprise": {"id"} and "authed_user": {"id", "access_token", …} (credential members stay out).
                foreach (var child in member.Value.EnumerateObject())
                {
                    if (!MayBeCredential(child.Name) && child.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                    {
                        extra[member.Name + "." + child.Name] = child.Value.ToString();
                    }
                }
            }
        }

        return TokenResult.Success(new TokenResponse(accessToken, tokenType, expiresIn, String(json, "refresh_token"), scope, String(json, "id_token"))
        {
            Extra = extra,
            GrantedScopes = scope is null ? [] : scope.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        });
    }

    private static ProviderFailure? ReadDeviceAuthorization(JsonElement json, Uri endpoint, int status, out DeviceAuthorization? authorization)
    {
        authorization = null;
        var deviceCode = String(json, "device_code");
        var userCode = String(json, "user_code");
        // RFC 8628 §3.2 names it verification_uri; Google sends verification_url.
        var verification = String(json, "verification_uri") ?? String(json, "verification_url");
        var expiresIn = Seconds(json, "expires_in");
        if (string.IsNullOrEmpty(deviceCode) || string.IsNullOrEmpty(userCode) || !IsWebUri(verification, out var verificationUri) || expiresIn is not > 0)
        {
            return ProviderAnswer.Malformed(endpoint, "a device authorization response without device_code, user_code, verification_uri or expires_in", status);
        }

        var complete = IsWebUri(String(json, "verification_uri_complete"), out var completeUri) ? completeUri : null;
        // RFC 8628 §3.2: interval defaults to 5 seconds.
        var interval = Seconds(json, "interval") is > 0 and var seconds ? seconds : 5;
        authorization = new DeviceAuthorization(deviceCode, userCode, verificationUri!, complete, TimeSpan.FromSeconds(expiresIn.Value), TimeSpan.FromSeconds(interval));
        return null;
    }

    private static long? Seconds(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.Number or JsonValueKind.String
        && long.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= int.MaxValue
            ? seconds
            : null;

    private static bool IsWebUri(string? text, out Uri? uri) =>
        Uri.TryCreate(text, UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static string? String(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool MayBeCredential(string name) =>
        name.Contains("token", StringComparison.OrdinalIgnoreCase) && !name.EndsWith("token_type", StringComparison.OrdinalIgnoreCase)
        || name.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || name.Contains("code", StringComparison.OrdinalIgnoreCase)
        || name.Contains("password", StringComparison.OrdinalIgnoreCase)
        || name.Contains("assertion", StringComparison.OrdinalIgnoreCase)
        || name.Contains("key", StringComparison.OrdinalIgnoreCase);

    private static string Required(Dictionary<string, string> parameters, string name) =>
        Take(parameters, name) is { Length: > 0 } value
            ? value
            : throw new ArgumentException($"The token request needs the parameter '{name}'.", nameof(parameters));

    private static string? Take(Dictionary<string, string> parameters, string name) =>
        parameters.Remove(name, out var value) ? value : null;

    /// <summary>Every value sent that a provider might echo back: cut from descriptions.</summary>
    private static string[] Secrets(OAuthClientCredentials client, IEnumerable<string> values) =>
        [.. values.Where(v => v.Length >= 8), .. new[] { client.ClientSecret }.OfType<string>()];

    private void LogFailure(string operation, Uri endpoint, string circuitKey, OAuthFailure failure) =>
        OAuthLog.CallFailed(logger, operation, endpoint.Authority, circuitKey, failure.Kind.ToString(), failure.Error, failure.StatusCode);
}
