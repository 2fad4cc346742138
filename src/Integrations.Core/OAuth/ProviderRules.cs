using System.Buffers;
using Integrations.Core.Common;

namespace Integrations.Core.OAuth;

/// <summary>What a provider's fields may be. Bounds keep a provider within one table row.</summary>
public static class ProviderRules
{
    public const int MaxNameLength = 64;
    public const int MaxClientIdLength = 512;
    public const int MaxScopes = 64;
    public const int MaxScopeLength = 256;
    public const int MaxExtraParameters = 20;
    public const int MaxParameterNameLength = 64;
    public const int MaxParameterValueLength = 512;
    public const int MaxEndpointLength = 2048;
    public static readonly TimeSpan MinRefreshSkew = TimeSpan.Zero;
    public static readonly TimeSpan MaxRefreshSkew = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinTokenLifetime = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(365);

    /// <summary>The separators providers use between scopes: a space (RFC 6749 §3.3), a comma, or a plus.</summary>
    public static IReadOnlyList<string> ScopeSeparators { get; } = [" ", ",", "+"];

    /// <summary>
    /// Parameters the hub writes itself in authorization and token requests (RFC 6749 §4.1, RFC 7636, OpenID Connect,
    /// RFC 7523, RFC 8628, RFC 8693, RFC 9126): an extra parameter with one of these names would override the protocol
    /// (a fixed <c>state</c> defeats CSRF protection, a fixed <c>redirect_uri</c> sends codes elsewhere), so none is accepted.
    /// </summary>
    public static IReadOnlySet<string> ProtocolParameters { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "response_type", "client_id", "client_secret", "redirect_uri", "scope", "state", "nonce", "code", "code_challenge", "code_challenge_method",
        "code_verifier", "grant_type", "refresh_token", "client_assertion", "client_assertion_type", "assertion", "username", "password",
        "device_code", "subject_token", "subject_token_type", "actor_token", "actor_token_type", "request", "request_uri", "response_mode",
        "access_token", "token", "token_type_hint", "iss",
    };

    private static readonly SearchValues<char> NameChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    private static readonly SearchValues<char> ParameterNameChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-:");

    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxNameLength && !name.AsSpan().ContainsAnyExcept(NameChars) && name.AsSpan().ContainsAnyExcept('.');

    public static HubError? ValidateName(string? name) => IsValidName(name)
        ? null
        : HubError.Invalid(CommonErrors.InvalidName, $"name must be 1 to {MaxNameLength} characters of A-Z, a-z, 0-9, '.', '_' or '-', not only dots.", "name");

    public static HubError? ValidateClientId(string? clientId) =>
        clientId is null ? HubError.Invalid(CommonErrors.MissingField, "client_id is required.", "client_id")
        : clientId.Length is 0 or > MaxClientIdLength || !IsVisibleAscii(clientId)
            ? HubError.Invalid(ProviderErrors.InvalidClientId, $"client_id must be 1 to {MaxClientIdLength} visible ASCII characters.", "client_id")
            : null;

    /// <summary>An endpoint or issuer: absolute, http(s), no user info or fragment, https unless the policy allows http.</summary>
    public static Result<Uri?> ParseEndpoint(string? value, string field, OAuthEndpointPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (value is null)
        {
            return Result.Success<Uri?>(null);
        }

        if (value.Length > MaxEndpointLength || !Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return HubError.Invalid(ProviderErrors.InvalidEndpoint, $"{field} must be an absolute http(s) URL of at most {MaxEndpointLength} characters, without user info or fragment.", field);
        }

        return policy.IsAcceptable(uri)
            ? uri
            : HubError.Invalid(ProviderErrors.InsecureEndpoint, $"{field} must use https.", field);
    }

    /// <summary>Endpoints checked against the policy (used for discovered and template endpoints too).</summary>
    public static HubError? ValidateEndpoints(ProviderEndpoints endpoints, OAuthEndpointPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(policy);
        (Uri? Uri, string Field)[] all =
        [
            (endpoints.Authorization, "endpoints.authorization"), (endpoints.Token, "endpoints.token"), (endpoints.Revocation, "endpoints.revocation"),
            (endpoints.DeviceAuthorization, "endpoints.device_authorization"), (endpoints.UserInfo, "endpoints.userinfo"), (endpoints.JwksUri, "endpoints.jwks_uri"),
        ];
        foreach (var (uri, field) in all)
        {
            if (uri is not null && !policy.IsAcceptable(uri))
            {
                return HubError.Invalid(ProviderErrors.InsecureEndpoint, $"{field} must be an absolute https URL.", field);
            }
        }

        return null;
    }

    public static HubError? ValidateScopes(IReadOnlyList<string>? scopes, string separator)
    {
        if (scopes is null)
        {
            return null;
        }

        if (scopes.Count > MaxScopes)
        {
            return HubError.Invalid(ProviderErrors.InvalidProviderSetting, $"default_scopes has at most {MaxScopes} entries.", "default_scopes");
        }

        // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ); and the separator must not occur inside one.
        foreach (var scope in scopes)
        {
            if (scope is null || scope.Length is 0 or > MaxScopeLength || scope.Any(c => c is < '!' or > '~' or '"' or '\\')
                || scope.Contains(separator, StringComparison.Ordinal))
            {
                return HubError.Invalid(ProviderErrors.InvalidProviderSetting,
                    $"Each scope is 1 to {MaxScopeLength} visible ASCII characters other than '\"' and '\\', without the scope separator.", "default_scopes");
            }
        }

        return null;
    }

    public static HubError? ValidateScopeSeparator(string? separator) => separator is null || ScopeSeparators.Contains(separator, StringComparer.Ordinal)
        ? null
        : HubError.Invalid(ProviderErrors.InvalidProviderSetting, "scope_separator must be \" \", \",\" or \"+\".", "scope_separator");

    public static HubError? ValidateRefreshSkew(TimeSpan skew) => skew >= MinRefreshSkew && skew <= MaxRefreshSkew
        ? null
        : HubError.Invalid(ProviderErrors.InvalidProviderSetting, $"refresh_skew_seconds must be between 0 and {(int)MaxRefreshSkew.TotalSeconds}.", "refresh_skew_seconds");

    public static HubError? ValidateTokenLifetime(TimeSpan? lifetime) => lifetime is null || (lifetime >= MinTokenLifetime && lifetime <= MaxTokenLifetime)
        ? null
        : HubError.Invalid(ProviderErrors.InvalidProviderSetting,
            $"default_token_lifetime_seconds must be between {(int)MinTokenLifetime.TotalSeconds} and {(int)MaxTokenLifetime.TotalSeconds}.", "default_token_lifetime_seconds");

    /// <summary>Extra parameters: bounded, well-formed names, printable values, and never a protocol parameter.</summary>
    public static HubError? ValidateExtraParameters(IReadOnlyDictionary<string, string>? parameters, string field)
    {
        if (parameters is null)
        {
            return null;
        }

        if (parameters.Count > MaxExtraParameters)
        {
            return HubError.Invalid(ProviderErrors.InvalidProviderSetting, $"{field} has at most {MaxExtraParameters} entries.", field);
        }

        foreach (var (name, value) in parameters)
        {
            if (name.Length is 0 or > MaxParameterNameLength || name.AsSpan().ContainsAnyExcept(ParameterNameChars))
            {
                return HubError.Invalid(ProviderErrors.InvalidProviderSetting,
                    $"{field}: names are 1 to {MaxParameterNameLength} characters of A-Z, a-z, 0-9, '.', '_', '-' or ':'.", field);
            }

            if (ProtocolParameters.Contains(name))
            {
                // The name is one of ours (from the fixed list), so it can be quoted safely.
                return HubError.Invalid(ProviderErrors.ProtectedParameter, $"{field} cannot set '{name.ToLowerInvariant()}': the hub sets it for every request.", field);
            }

            if (value is null || value.Length > MaxParameterValueLength || !PrintableText.IsPrintable(value))
            {
                return HubError.Invalid(ProviderErrors.InvalidProviderSetting, $"{field}: values are at most {MaxParameterValueLength} printable characters.", field);
            }
        }

        return null;
    }

    public static Result<ClientAuthenticationMethod?> ParseClientAuthentication(string? value) => value switch
    {
        null => Result.Success<ClientAuthenticationMethod?>(null),
        "client_secret_basic" => Result.Success<ClientAuthenticationMethod?>(ClientAuthenticationMethod.ClientSecretBasic),
        "client_secret_post" => Result.Success<ClientAuthenticationMethod?>(ClientAuthenticationMethod.ClientSecretPost),
        "private_key_jwt" => Result.Success<ClientAuthenticationMethod?>(ClientAuthenticationMethod.PrivateKeyJwt),
        "none" => Result.Success<ClientAuthenticationMethod?>(ClientAuthenticationMethod.None),
        _ => HubError.Invalid(ProviderErrors.InvalidProviderSetting,
            "client_authentication must be client_secret_basic, client_secret_post, private_key_jwt or none.", "client_authentication"),
    };

    /// <summary>The wire name of a client authentication method (RFC 8414 §2 <c>token_endpoint_auth_methods_supported</c>).</summary>
    public static string NameOf(ClientAuthenticationMethod method) => method switch
    {
        ClientAuthenticationMethod.ClientSecretBasic => "client_secret_basic",
        ClientAuthenticationMethod.ClientSecretPost => "client_secret_post",
        ClientAuthenticationMethod.PrivateKeyJwt => "private_key_jwt",
        _ => "none",
    };

    private static bool IsVisibleAscii(string value) => value.All(c => c is >= '!' and <= '~');
}
