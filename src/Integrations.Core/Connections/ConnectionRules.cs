using System.Buffers;
using Integrations.Core.Common;
using Integrations.Core.Vault;

namespace Integrations.Core.Connections;

/// <summary>What a connection's configuration may be, checked as a whole (create and PATCH alike); every refusal names its field.</summary>
/// <param name="RequireHttps">True outside Development: base URLs must be https.</param>
/// <param name="RetryStrategies">The known retry strategy names (<see cref="IRetryStrategyCatalog"/>).</param>
public sealed record ConnectionRuleSettings(bool RequireHttps, IReadOnlyCollection<string> RetryStrategies);

/// <summary>
/// The rules of a connection's configuration. Pure and synchronous: that the named provider and vault secrets exist is
/// checked by <see cref="ConnectionService"/> against storage afterwards. The bounds keep every stored property of a
/// connection inside one Table property (64 KiB) whatever the characters.
/// </summary>
public static class ConnectionRules
{
    public const int MaxNameLength = 128;
    public const int MaxDescriptionLength = 1024;
    public const int MaxBaseUrlLength = 2048;
    public const int MaxDefaultHeaders = 20;
    public const int MaxHeaderNameLength = 64;
    public const int MaxHeaderValueLength = 1024;
    public const int MaxDefaultHeadersBytes = 8 * 1024;
    public const int MaxSecretRefs = 10;
    public const int MaxRoleLength = 64;
    public const int MaxScopes = 50;
    public const int MaxScopeLength = 256;
    public const int MaxPolicyRules = 32;
    public const int MaxPathLength = 256;
    public const int MaxTestPathLength = 512;
    public const int MaxEndUserIdLength = 128;
    public const int MaxDisplayNameLength = 128;
    public const int MaxProviderIdLength = 64;
    public const int MinRetries = 0;
    public const int MaxRetries = 5;

    public static readonly TimeSpan MinTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The methods a policy rule or a test request may name.</summary>
    public static IReadOnlyList<string> Methods { get; } = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    /// <summary>
    /// Headers a connection may not set by default: credentials (the hub injects its own, the caller's are never
    /// forwarded), <c>Host</c> (the base URL decides it), and the hop-by-hop and framing headers (RFC 9110 §7.6.1) that
    /// describe one connection, not the request.
    /// </summary>
    public static IReadOnlySet<string> ForbiddenHeaders { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "Host", "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Content-Length", "Expect",
    };

    private static readonly SearchValues<char> NameChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    /// <summary>RFC 9110 §5.6.2 tchar: what a header name (a token) is made of.</summary>
    private static readonly SearchValues<char> TokenChars = SearchValues.Create("!#$%&'*+-.^_`|~ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");

    /// <summary>RFC 3986 unreserved: a query parameter name sent without escaping.</summary>
    private static readonly SearchValues<char> QueryNameChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");

    /// <summary>RFC 3986 pchar less '%' (checked apart, as a triplet): what a literal path segment may hold.</summary>
    private static readonly SearchValues<char> SegmentChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()+,;=:@");

    /// <summary>The roles each static type must name, exactly; OAuth types may name extras (<see cref="IsValidRole"/>).</summary>
    public static IReadOnlyList<string> RequiredRoles(ConnectionType type) => type switch
    {
        ConnectionType.ApiKey => [SecretRoles.ApiKey],
        ConnectionType.Bearer => [SecretRoles.Token],
        ConnectionType.Basic => [SecretRoles.Username, SecretRoles.Password],
        _ => [],
    };

    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxNameLength && !name.AsSpan().ContainsAnyExcept(NameChars) && name.AsSpan().ContainsAnyExcept('.');

    /// <summary>A secret role: 1 to 64 of [a-z0-9_].</summary>
    public static bool IsValidRole(string? role) =>
        !string.IsNullOrEmpty(role) && role.Length <= MaxRoleLength && role.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    public static bool IsHeaderName(string? name) => !string.IsNullOrEmpty(name) && name.Length <= MaxHeaderNameLength && !name.AsSpan().ContainsAnyExcept(TokenChars);

    /// <summary>
    /// A header value: visible ASCII and inner spaces or tabs (RFC 9110 §5.5 less obs-text), no surrounding whitespace.
    /// CR, LF and NUL can never appear, so a value cannot split a request.
    /// </summary>
    public static bool IsHeaderValue(string? value) =>
        value is not null && value.Length <= MaxHeaderValueLength && value.Trim(' ', '\t').Length == value.Length
        && value.All(c => c is '\t' or (>= ' ' and <= '~'));

    /// <summary>
    /// A policy path glob: starts with '/', segments separated by '/', each either <c>*</c> (exactly one segment),
    /// <c>**</c> (any number, none included), or a literal of RFC 3986 pchar with valid percent-encoding. No dot
    /// segments (the proxy matches normalised paths, so such a rule could never match) and no empty inner segments;
    /// a trailing '/' is a segment of its own ("/a/" matches "/a/" only).
    /// </summary>
    public static bool IsValidPathGlob(string? glob)
    {
        if (string.IsNullOrEmpty(glob) || glob[0] != '/' || glob.Length > MaxPathLength)
        {
            return false;
        }

        var segments = glob[1..].Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment is "*" or "**")
            {
                continue;
            }

            if (segment.Length == 0)
            {
                // "/" alone, or a trailing slash; "//" inside is refused.
                if (i == segments.Length - 1)
                {
                    continue;
                }

                return false;
            }

            if (segment is "." or ".." || !IsLiteralSegment(segment))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Checks <paramref name="input"/> whole and returns <paramref name="template"/> (id, tenant, project and times
    /// already set) with the configuration applied, or the first refusal, naming its field.
    /// </summary>
    public static Result<Connection> Apply(ConnectionInput input, Connection template, ConnectionRuleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(settings);

        if (!IsValidName(input.Name))
        {
            return input.Name is null
                ? HubError.Invalid(CommonErrors.MissingField, "name is required.", "name")
                : HubError.Invalid(CommonErrors.InvalidName, $"name must be 1 to {MaxNameLength} characters of A-Z, a-z, 0-9, '.', '_' or '-', not only dots.", "name");
        }

        if (input.Type is null)
        {
            return HubError.Invalid(CommonErrors.MissingField, "type is required.", "type");
        }

        if (!ConnectionTypes.TryParse(input.Type, out var type))
        {
            return HubError.Invalid(ConnectionErrors.InvalidConnectionType,
                $"type must be one of {ConnectionTypes.ApiKey}, {ConnectionTypes.Bearer}, {ConnectionTypes.Basic}, {ConnectionTypes.OAuth2ClientCredentials}, "
                + $"{ConnectionTypes.OAuth2AuthorizationCode} (or {ConnectionTypes.OAuth2ThreeLegged}), {ConnectionTypes.OAuth2Device}, {ConnectionTypes.OAuth2Password}, {ConnectionTypes.OAuth2Generic}.",
                "type");
        }

        var isOAuth = ConnectionTypes.IsOAuth(type);
        if ((ValidateProvider(input.ProviderId, isOAuth) ?? ValidateDescription(input.Description)) is { } error)
        {
            return error;
        }

        var baseUrl = ParseBaseUrl(input.BaseUrl, settings.RequireHttps);
        var headers = ParseHeaders(input.DefaultHeaders);
        var timeout = ParseTimeout(input.TimeoutSeconds);
        var retries = ParseRetries(input.Retries);
        var strategy = ParseRetryStrategy(input.RetryStrategy, settings.RetryStrategies);
        var secretRefs = ParseSecretRefs(input.SecretRefs, type);
        var apiKey = ParseApiKey(input.ApiKey, type);
        var scopes = ParseScopes(input.Scopes, isOAuth);
        var endUser = ParseEndUser(input.EndUser);
        var policy = ParsePolicy(input.Policy);
        var test = ParseTestRequest(input.TestRequest);
        var first = baseUrl.Error ?? headers.Error ?? timeout.Error ?? retries.Error ?? strategy.Error ?? secretRefs.Error ?? apiKey.Error
            ?? scopes.Error ?? endUser.Error ?? policy.Error ?? test.Error;
        if (first is not null)
        {
            return first;
        }

        return template with
        {
            Name = input.Name!,
            Type = type,
            ProviderId = isOAuth ? input.ProviderId : null,
            Description = string.IsNullOrEmpty(input.Description) ? null : input.Description,
            BaseUrl = baseUrl.Value,
            DefaultHeaders = headers.Value!,
            Timeout = timeout.Value,
            Retries = retries.Value,
            RetryStrategy = strategy.Value,
            Enabled = input.Enabled ?? true,
            SecretRefs = secretRefs.Value!,
            ApiKey = apiKey.Value,
            Scopes = scopes.Value!,
            EndUser = endUser.Value,
            Policy = policy.Value!,
            TestMethod = test.Value.Method,
            TestPath = test.Value.Path,
        };
    }

    private static HubError? ValidateProvider(string? providerId, bool isOAuth)
    {
        if (!isOAuth)
        {
            return providerId is null ? null : HubError.Invalid(ConnectionErrors.InvalidProvider, "Only OAuth connection types name a provider_id.", "provider_id");
        }

        if (providerId is null)
        {
            return HubError.Invalid(CommonErrors.MissingField, "provider_id is required for OAuth connection types.", "provider_id");
        }

        // An id, never shown back unescaped: a short run of id characters (the provider store is asked afterwards).
        return providerId.Length is > 0 and <= MaxProviderIdLength && !providerId.AsSpan().ContainsAnyExcept(NameChars)
            ? null
            : HubError.Invalid(ConnectionErrors.InvalidProvider, "provider_id is not a provider id.", "provider_id");
    }

    private static HubError? ValidateDescription(string? description) =>
        description is { Length: > MaxDescriptionLength } || !PrintableText.IsPrintable(description)
            ? HubError.Invalid(ConnectionErrors.InvalidDescription, $"description must be at most {MaxDescriptionLength} printable characters.", "description")
            : null;

    private static Result<Uri?> ParseBaseUrl(string? raw, bool requireHttps)
    {
        if (raw is null)
        {
            return Result.Success<Uri?>(null);
        }

        var schemes = requireHttps ? "https" : "http or https";
        if (raw.Length > MaxBaseUrlLength || !Uri.TryCreate(raw, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && (requireHttps || uri.Scheme != Uri.UriSchemeHttp)) || string.IsNullOrEmpty(uri.Host))
        {
            return HubError.Invalid(ConnectionErrors.InvalidBaseUrl, $"base_url must be an absolute {schemes} URL of at most {MaxBaseUrlLength} characters.", "base_url");
        }

        // Credentials in the URL would be stored and shown as configuration; a query or fragment would be lost or
        // mangled when the proxy appends the caller's path and query.
        if (uri.UserInfo.Length > 0 || raw.Contains('@', StringComparison.Ordinal))
        {
            return HubError.Invalid(ConnectionErrors.InvalidBaseUrl, "base_url must not contain user information: store credentials as vault secrets.", "base_url");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || raw.Contains('?', StringComparison.Ordinal) || raw.Contains('#', StringComparison.Ordinal))
        {
            return HubError.Invalid(ConnectionErrors.InvalidBaseUrl, "base_url must not have a query or a fragment.", "base_url");
        }

        return Result.Success<Uri?>(uri);
    }

    private static Result<IReadOnlyDictionary<string, string>> ParseHeaders(IReadOnlyDictionary<string, string?>? raw)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (raw is null)
        {
            return Result.Success<IReadOnlyDictionary<string, string>>(headers);
        }

        if (raw.Count > MaxDefaultHeaders)
        {
            return HubError.Invalid(ConnectionErrors.InvalidDefaultHeaders, $"default_headers has at most {MaxDefaultHeaders} entries.", "default_headers");
        }

        var bytes = 0;
        foreach (var (name, value) in raw)
        {
            if (!IsHeaderName(name))
            {
                return HubError.Invalid(ConnectionErrors.InvalidDefaultHeaders, $"each default_headers name must be an HTTP token of 1 to {MaxHeaderNameLength} characters.", "default_headers");
            }

            var field = "default_headers." + name;
            if (ForbiddenHeaders.Contains(name))
            {
                return HubError.Invalid(ConnectionErrors.InvalidDefaultHeaders,
                    $"default_headers must not set {name}: credentials come from secret_refs, and Host and hop-by-hop headers are the proxy's.", field);
            }

            if (!IsHeaderValue(value))
            {
                return HubError.Invalid(ConnectionErrors.InvalidDefaultHeaders,
                    $"each default_headers value must be at most {MaxHeaderValueLength} visible ASCII characters (inner spaces allowed).", field);
            }

            if (!headers.TryAdd(name, value!))
            {
                return HubError.Invalid(ConnectionErrors.InvalidDefaultHeaders, "default_headers names a header twice (names are case-insensitive).", field);
            }

            bytes += name.Length + value!.Length + 4;
        }

        return bytes > MaxDefaultHeadersBytes
            ? HubError.Invalid(ConnectionErrors.InvalidDefaultHeaders, $"default_headers must add up to at most {MaxDefaultHeadersBytes} bytes.", "default_headers")
            : Result.Success<IReadOnlyDictionary<string, string>>(headers);
    }

    private static Result<TimeSpan> ParseTimeout(double? seconds)
    {
        if (seconds is null)
        {
            return Connection.DefaultTimeout;
        }

        return double.IsFinite(seconds.Value) && seconds.Value >= MinTimeout.TotalSeconds && seconds.Value <= MaxTimeout.TotalSeconds
            ? TimeSpan.FromMilliseconds(Math.Round(seconds.Value * 1000))
            : HubError.Invalid(ConnectionErrors.InvalidTimeout, $"timeout_seconds must be between {MinTimeout.TotalSeconds} and {MaxTimeout.TotalSeconds}.", "timeout_seconds");
    }

    private static Result<int> ParseRetries(int? retries) => retries switch
    {
        null => Connection.DefaultRetries,
        >= MinRetries and <= MaxRetries => retries.Value,
        _ => HubError.Invalid(ConnectionErrors.InvalidRetries, $"retries must be between {MinRetries} and {MaxRetries}.", "retries"),
    };

    private static Result<string?> ParseRetryStrategy(string? name, IReadOnlyCollection<string> known) =>
        name is null || known.Contains(name, StringComparer.Ordinal)
            ? Result.Success(name)
            : HubError.Invalid(ConnectionErrors.InvalidRetryStrategy, $"retry_strategy must be one of {string.Join(", ", known.Order(StringComparer.Ordinal))}.", "retry_strategy");

    private static Result<IReadOnlyDictionary<string, string>> ParseSecretRefs(IReadOnlyDictionary<string, string?>? raw, ConnectionType type)
    {
        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        var required = RequiredRoles(type);
        raw ??= new Dictionary<string, string?>();
        if (raw.Count > MaxSecretRefs)
        {
            return HubError.Invalid(ConnectionErrors.InvalidSecretRefs, $"secret_refs has at most {MaxSecretRefs} entries.", "secret_refs");
        }

        foreach (var role in required)
        {
            if (!raw.ContainsKey(role))
            {
                return HubError.Invalid(ConnectionErrors.InvalidSecretRefs,
                    $"A {ConnectionTypes.NameOf(type)} connection needs secret_refs {string.Join(" and ", required)}, each the name of a vault secret.", "secret_refs." + role);
            }
        }

        foreach (var (role, secretName) in raw)
        {
            if (!IsValidRole(role))
            {
                return HubError.Invalid(ConnectionErrors.InvalidSecretRefs, $"each secret_refs role must be 1 to {MaxRoleLength} characters of a-z, 0-9 or '_'.", "secret_refs");
            }

            var field = "secret_refs." + role;
            if (required.Count > 0 && !required.Contains(role, StringComparer.Ordinal))
            {
                return HubError.Invalid(ConnectionErrors.InvalidSecretRefs,
                    $"A {ConnectionTypes.NameOf(type)} connection takes secret_refs {string.Join(" and ", required)} only.", field);
            }

            if (!SecretRules.IsValidName(secretName))
            {
                return HubError.Invalid(ConnectionErrors.InvalidSecretRefs, "each secret_refs value must be the name of a vault secret of the project.", field);
            }

            if (SecretRules.IsHubManaged(secretName!))
            {
                // A connection's token set injected as another connection's credential would send its refresh token to any base URL.
                return HubError.Invalid(ConnectionErrors.InvalidSecretRefs, $"secret_refs cannot name a secret the hub manages ('{SecretRules.HubManagedPrefix}…', '{SecretRules.WebhookManagedPrefix}…').", field);
            }

            refs[role] = secretName!;
        }

        return Result.Success<IReadOnlyDictionary<string, string>>(refs);
    }

    private static Result<ApiKeyPlacement?> ParseApiKey(ApiKeyPlacementInput? raw, ConnectionType type)
    {
        if (type != ConnectionType.ApiKey)
        {
            return raw is null
                ? Result.Success<ApiKeyPlacement?>(null)
                : HubError.Invalid(ConnectionErrors.InvalidApiKeyPlacement, "api_key is for api_key connections only.", "api_key");
        }

        if (raw is null)
        {
            return ApiKeyPlacement.Default;
        }

        var location = raw.In switch
        {
            null or ApiKeyPlacementInput.Header => ApiKeyLocation.Header,
            ApiKeyPlacementInput.Query => ApiKeyLocation.Query,
            _ => (ApiKeyLocation?)null,
        };
        if (location is null)
        {
            return HubError.Invalid(ConnectionErrors.InvalidApiKeyPlacement, "api_key.in must be header or query.", "api_key.in");
        }

        var name = raw.Name ?? ApiKeyPlacement.Default.Name;
        if (location == ApiKeyLocation.Header)
        {
            // Authorization is allowed here (some APIs take a bare key in it); the other forbidden headers are not.
            var forbidden = ForbiddenHeaders.Contains(name) && !string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase);
            return IsHeaderName(name) && !forbidden
                ? new ApiKeyPlacement(ApiKeyLocation.Header, name)
                : HubError.Invalid(ConnectionErrors.InvalidApiKeyPlacement, $"api_key.name must be an HTTP header name of 1 to {MaxHeaderNameLength} characters, not a hop-by-hop, Host or Cookie header.", "api_key.name");
        }

        return raw.Name is { Length: > 0 and <= MaxHeaderNameLength } && !raw.Name.AsSpan().ContainsAnyExcept(QueryNameChars)
            ? new ApiKeyPlacement(ApiKeyLocation.Query, raw.Name)
            : HubError.Invalid(ConnectionErrors.InvalidApiKeyPlacement, $"api_key.name must be a query parameter name of 1 to {MaxHeaderNameLength} characters of A-Z, a-z, 0-9, '-', '.', '_' or '~'.", "api_key.name");
    }

    private static Result<IReadOnlyList<string>> ParseScopes(IReadOnlyList<string?>? raw, bool isOAuth)
    {
        if (raw is null || raw.Count == 0)
        {
            return Result.Success<IReadOnlyList<string>>([]);
        }

        if (!isOAuth)
        {
            return HubError.Invalid(ConnectionErrors.InvalidScopes, "scopes are for OAuth connection types only.", "scopes");
        }

        if (raw.Count > MaxScopes)
        {
            return HubError.Invalid(ConnectionErrors.InvalidScopes, $"at most {MaxScopes} scopes.", "scopes");
        }

        // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
        if (raw.Any(s => s is not { Length: > 0 and <= MaxScopeLength } || s.Any(c => c is < '!' or > '~' or '"' or '\\')))
        {
            return HubError.Invalid(ConnectionErrors.InvalidScopes, $"each scope must be 1 to {MaxScopeLength} visible ASCII characters other than '\"' and '\\' (RFC 6749 §3.3).", "scopes");
        }

        return raw.Distinct(StringComparer.Ordinal).Count() == raw.Count
            ? Result.Success<IReadOnlyList<string>>(raw.Select(s => s!).ToList())
            : HubError.Invalid(ConnectionErrors.InvalidScopes, "scopes lists a scope twice.", "scopes");
    }

    private static Result<EndUser?> ParseEndUser(EndUserInput? raw)
    {
        if (raw is null)
        {
            return Result.Success<EndUser?>(null);
        }

        if (!IsValidEndUserId(raw.Id))
        {
            return HubError.Invalid(ConnectionErrors.InvalidEndUser, $"end_user.id must be 1 to {MaxEndUserIdLength} printable characters without surrounding spaces.", "end_user.id");
        }

        return raw.DisplayName is { Length: > MaxDisplayNameLength } || !PrintableText.IsPrintable(raw.DisplayName)
            ? HubError.Invalid(ConnectionErrors.InvalidEndUser, $"end_user.display_name must be at most {MaxDisplayNameLength} printable characters.", "end_user.display_name")
            : new EndUser(raw.Id!, string.IsNullOrEmpty(raw.DisplayName) ? null : raw.DisplayName);
    }

    /// <summary>An end user's id (also a list filter): 1 to 128 printable characters without surrounding whitespace.</summary>
    public static bool IsValidEndUserId(string? id) =>
        id is { Length: > 0 and <= MaxEndUserIdLength } && id.Trim().Length == id.Length && PrintableText.IsPrintable(id);

    private static Result<IReadOnlyList<ProxyRule>> ParsePolicy(IReadOnlyList<ProxyRuleInput?>? raw)
    {
        var rules = new List<ProxyRule>();
        if (raw is null)
        {
            return Result.Success<IReadOnlyList<ProxyRule>>(rules);
        }

        if (raw.Count > MaxPolicyRules)
        {
            return HubError.Invalid(ConnectionErrors.InvalidPolicy, $"policy has at most {MaxPolicyRules} rules.", "policy");
        }

        for (var i = 0; i < raw.Count; i++)
        {
            var field = $"policy[{i}]";
            var rule = raw[i];
            if (rule is null)
            {
                return HubError.Invalid(ConnectionErrors.InvalidPolicy, "each policy rule is an object {effect, methods, path}.", field);
            }

            ProxyRuleEffect? effect = rule.Effect switch
            {
                ProxyRuleInput.Allow => ProxyRuleEffect.Allow,
                ProxyRuleInput.Deny => ProxyRuleEffect.Deny,
                _ => null,
            };
            if (effect is null)
            {
                return HubError.Invalid(ConnectionErrors.InvalidPolicy, "effect must be allow or deny.", field + ".effect");
            }

            var methods = new List<string>();
            foreach (var method in rule.Methods ?? [])
            {
                var upper = method?.ToUpperInvariant();
                if (upper is null || !Methods.Contains(upper, StringComparer.Ordinal))
                {
                    return HubError.Invalid(ConnectionErrors.InvalidPolicy, $"methods must each be one of {string.Join(", ", Methods)}.", field + ".methods");
                }

                if (!methods.Contains(upper, StringComparer.Ordinal))
                {
                    methods.Add(upper);
                }
            }

            if (!IsValidPathGlob(rule.Path))
            {
                return HubError.Invalid(ConnectionErrors.InvalidPolicy,
                    $"path must be a glob of at most {MaxPathLength} characters starting with '/': segments are literals, '*' (one segment) or '**' (any number), no '.' or '..'.",
                    field + ".path");
            }

            rules.Add(new ProxyRule(effect.Value, methods, rule.Path!));
        }

        return Result.Success<IReadOnlyList<ProxyRule>>(rules);
    }

    private static Result<(string Method, string Path)> ParseTestRequest(TestRequestInput? raw)
    {
        var method = raw?.Method?.ToUpperInvariant() ?? "GET";
        if (!Methods.Contains(method, StringComparer.Ordinal))
        {
            return HubError.Invalid(ConnectionErrors.InvalidTestRequest, $"test_request.method must be one of {string.Join(", ", Methods)}.", "test_request.method");
        }

        var path = raw?.Path ?? "/";
        return IsTestPath(path)
            ? (method, path)
            : HubError.Invalid(ConnectionErrors.InvalidTestRequest,
                $"test_request.path must start with '/', be at most {MaxTestPathLength} characters of a URL path (and query), with no '.' or '..' segment.", "test_request.path");
    }

    private static bool IsTestPath(string path)
    {
        if (path.Length is 0 or > MaxTestPathLength || path[0] != '/' || path.Contains('#', StringComparison.Ordinal))
        {
            return false;
        }

        var query = path.IndexOf('?', StringComparison.Ordinal);
        var pathPart = query < 0 ? path : path[..query];
        if (query >= 0 && path[(query + 1)..].Any(c => c is <= ' ' or > '~'))
        {
            return false;
        }

        return pathPart[1..].Split('/').All(s => s.Length == 0 || (s is not "." and not ".." && IsLiteralSegment(s)));
    }

    private static bool IsLiteralSegment(string segment)
    {
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            if (c == '%')
            {
                if (i + 2 >= segment.Length || !char.IsAsciiHexDigit(segment[i + 1]) || !char.IsAsciiHexDigit(segment[i + 2]))
                {
                    return false;
                }

                i += 2;
            }
            else if (!SegmentChars.Contains(c))
            {
                return false;
            }
        }

        // A percent-encoded dot segment (%2e, .%2E …) is a dot segment to a server that decodes before normalising.
        var decoded = segment.Replace("%2e", ".", StringComparison.OrdinalIgnoreCase);
        return decoded is not "." and not "..";
    }
}

/// <summary>The roles a connection's <c>secret_refs</c> name.</summary>
public static class SecretRoles
{
    public const string ApiKey = "api_key";
    public const string Token = "token";
    public const string Username = "username";
    public const string Password = "password";
}
