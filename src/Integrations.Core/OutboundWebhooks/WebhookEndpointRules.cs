using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Integrations.Core.Common;
using Integrations.Core.Connections;

namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// What an outbound webhook endpoint may be, and how its signing keys roll. Pure functions: the service applies them, tests
/// call them directly. Every refusal names its field; no message echoes a header value or the caller's text.
/// </summary>
public static partial class WebhookEndpointRules
{
    public const int MaxUrlLength = 2048;
    public const int MaxDescriptionLength = 500;
    public const int MaxEventTypes = 50;
    public const int MaxEventTypeLength = 128;
    public const int MaxHeaders = 20;
    public const int MinRateLimit = 1;
    public const int MaxRateLimit = 10_000;
    public const int MinTimeoutMs = 1000;
    public const int MaxTimeoutMs = 30_000;
    public const int DefaultTimeoutMs = 15_000;
    public const int MinRetryAttempts = 1;
    public const int MaxRetryAttempts = 20;

    /// <summary>The attempts of a named strategy when <c>retry.max_attempts</c> is not given: as many as the default schedule makes.</summary>
    public const int DefaultRetryAttempts = 8;

    /// <summary>At most this many keys per endpoint: the newest and those still inside their overlap (rotating faster is refused).</summary>
    public const int MaxKeys = 5;

    /// <summary>The prefix of every Standard Webhooks secret.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>Random bytes in a generated secret (Standard Webhooks: 24 to 64).</summary>
    public const int SecretBytes = 32;

    /// <summary>
    /// Headers an endpoint may not add, besides the credential, host and hop-by-hop ones of <see cref="ConnectionRules.ForbiddenHeaders"/>:
    /// the signature is ours (<c>webhook-*</c>, <c>svix-*</c>), the body is ours (<c>Content-*</c>), and so is the User-Agent.
    /// </summary>
    private static readonly string[] ForbiddenPrefixes = ["webhook-", "svix-", "content-"];

    private static readonly HashSet<string> ForbiddenNames = new(ConnectionRules.ForbiddenHeaders, StringComparer.OrdinalIgnoreCase) { "User-Agent" };

    [GeneratedRegex(@"^[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*(\.\*)?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex EventTypePattern();

    /// <summary>An event-type filter entry: <c>name(.name)*</c> with an optional trailing <c>.*</c>, at most 128 characters.</summary>
    public static bool IsEventTypeFilter(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxEventTypeLength && EventTypePattern().IsMatch(value);

    /// <summary>Whether an endpoint may set header <paramref name="name"/>.</summary>
    public static bool IsAllowedHeader(string? name) =>
        ConnectionRules.IsHeaderName(name) && !ForbiddenNames.Contains(name!)
        && !ForbiddenPrefixes.Any(p => name!.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// <paramref name="template"/> (id, tenant, keys, times, disabled reason) with every field of <paramref name="input"/>, each
    /// checked; <paramref name="strategies"/> are the retry strategy names Integrations.Http knows.
    /// </summary>
    public static Result<WebhookEndpoint> Apply(WebhookEndpointInput input, WebhookEndpoint template, IReadOnlyCollection<string> strategies)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(strategies);
        var url = ParseUrl(input.Url);
        if (!url.IsSuccess)
        {
            return url.Error!;
        }

        if (input.Description is { Length: > MaxDescriptionLength } || !PrintableText.IsPrintable(input.Description))
        {
            return HubError.Invalid(WebhookEndpointErrors.InvalidDescription, $"description must be at most {MaxDescriptionLength} printable characters.", "description");
        }

        var eventTypes = ParseEventTypes(input.EventTypes);
        if (!eventTypes.IsSuccess)
        {
            return eventTypes.Error!;
        }

        if (input.RateLimitPerSecond is < MinRateLimit or > MaxRateLimit)
        {
            return HubError.Invalid(WebhookEndpointErrors.InvalidRateLimit,
                $"rate_limit_per_second must be between {MinRateLimit} and {MaxRateLimit}, or null for no limit.", "rate_limit_per_second");
        }

        var timeoutMs = input.TimeoutMs ?? DefaultTimeoutMs;
        if (timeoutMs is < MinTimeoutMs or > MaxTimeoutMs)
        {
            return HubError.Invalid(WebhookEndpointErrors.InvalidTimeout, $"timeout_ms must be between {MinTimeoutMs} and {MaxTimeoutMs} (default {DefaultTimeoutMs}).", "timeout_ms");
        }

        var retry = ParseRetry(input.Retry, strategies);
        if (!retry.IsSuccess)
        {
            return retry.Error!;
        }

        var headers = ParseHeaders(input.Headers);
        if (!headers.IsSuccess)
        {
            return headers.Error!;
        }

        var enabled = input.Enabled ?? true;
        return template with
        {
            Url = url.Value!,
            Description = string.IsNullOrEmpty(input.Description) ? null : input.Description,
            EventTypes = eventTypes.Value!,
            Enabled = enabled,
            // Enabling clears the hub's reason; a user's disable has none; an endpoint that stays disabled keeps its reason.
            DisabledReason = enabled || template.Enabled ? null : template.DisabledReason,
            RateLimitPerSecond = input.RateLimitPerSecond,
            Timeout = TimeSpan.FromMilliseconds(timeoutMs),
            Retry = retry.Value!,
            Headers = headers.Value!,
        };
    }

    private static Result<Uri> ParseUrl(string? value)
    {
        if (value is null)
        {
            return HubError.Invalid(CommonErrors.MissingField, "url is required: the absolute http or https URL deliveries are posted to.", "url");
        }

        if (value.Length > MaxUrlLength || !Uri.TryCreate(value, UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(url.Host))
        {
            return HubError.Invalid(WebhookEndpointErrors.InvalidUrl, $"url must be an absolute http or https URL of at most {MaxUrlLength} characters.", "url");
        }

        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return HubError.Invalid(WebhookEndpointErrors.InvalidUrl, "url must not carry user info (user:password@): put a credential in headers instead.", "url");
        }

        if (value.Contains('#', StringComparison.Ordinal))
        {
            return HubError.Invalid(WebhookEndpointErrors.InvalidUrl, "url must not have a fragment (#…): it is never sent.", "url");
        }

        return url;
    }

    private static Result<IReadOnlyList<string>> ParseEventTypes(IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return Array.Empty<string>();
        }

        if (values.Count > MaxEventTypes)
        {
            return HubError.Invalid(WebhookEndpointErrors.InvalidEventTypes, $"event_types may hold at most {MaxEventTypes} entries.", "event_types");
        }

        var distinct = new List<string>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            if (!IsEventTypeFilter(values[i]))
            {
                return HubError.Invalid(WebhookEndpointErrors.InvalidEventTypes,
                    $"event_types[{i}] must be a dotted name of A-Z, a-z, 0-9, '_' and '-' (e.g. invoice.paid), optionally ending in .* (invoice.*), at most {MaxEventTypeLength} characters.",
                    $"event_types[{i}]");
            }

            if (!distinct.Contains(values[i], StringComparer.Ordinal))
            {
                distinct.Add(values[i]);
            }
        }

        return distinct;
    }

    private static Result<EndpointRetryPolicy> ParseRetry(EndpointRetryInput? input, IReadOnlyCollection<string> strategies)
    {
        if (input is null)
        {
            return EndpointRetryPolicy.Default;
        }

        var known = string.Join(", ", strategies.Order(StringComparer.Ordinal));
        if (input.Strategy is null)
        {
            return HubError.Invalid(CommonErrors.MissingField, $"retry.strategy is required: one of {known} (leave retry out for the default schedule).", "retry.strategy");
        }

        if (!strategies.Contains(input.Strategy, StringComparer.Ordinal))
        {
            return HubError.Invalid(WebhookEndpointErrors.InvalidRetry, $"retry.strategy must be one of {known}.", "retry.strategy");
        }

        var attempts = input.MaxAttempts ?? DefaultRetryAttempts;
        if (attempts is < MinRetryAttempts or > MaxRetryAttempts)
        {
            return HubError.Invalid(WebhookEndpointErrors.InvalidRetry, $"retry.max_attempts must be between {MinRetryAttempts} and {MaxRetryAttempts}.", "retry.max_attempts");
        }

        return new EndpointRetryPolicy(input.Strategy, attempts);
    }

    private static Result<IReadOnlyDictionary<string, string>> ParseHeaders(IReadOnlyDictionary<string, string>? headers)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (headers is null)
        {
            return result;
        }

        if (headers.Count > MaxHeaders)
        {
            return HubError.Invalid(WebhookEndpointErrors.InvalidHeaders, $"headers may hold at most {MaxHeaders} entries.", "headers");
        }

        foreach (var (name, value) in headers)
        {
            // A name that is not a token is not echoed; a valid one is safe to name.
            if (!ConnectionRules.IsHeaderName(name))
            {
                return HubError.Invalid(WebhookEndpointErrors.InvalidHeaders, "Every header name must be an HTTP token (RFC 9110 §5.6.2) of at most 64 characters.", "headers");
            }

            if (!IsAllowedHeader(name))
            {
                return HubError.Invalid(WebhookEndpointErrors.InvalidHeaders,
                    $"headers must not set {name}: webhook-*, svix-*, Content-*, User-Agent, credential, Host and hop-by-hop headers are the hub's.", "headers." + name);
            }

            if (!ConnectionRules.IsHeaderValue(value))
            {
                return HubError.Invalid(WebhookEndpointErrors.InvalidHeaders,
                    $"headers.{name} must be at most {ConnectionRules.MaxHeaderValueLength} visible ASCII characters, spaces or tabs (no CR or LF, no surrounding whitespace).",
                    "headers." + name);
            }

            if (!result.TryAdd(name, value))
            {
                return HubError.Invalid(WebhookEndpointErrors.InvalidHeaders, $"headers names {name} twice (header names are case-insensitive).", "headers." + name);
            }
        }

        // Stored and compared in the caller's spelling, ordinal: the case-insensitive set only found duplicates.
        return new Dictionary<string, string>(result, StringComparer.Ordinal);
    }

    /// <summary>A new signing secret: <c>whsec_</c> and the base64 of 32 random bytes (Standard Webhooks).</summary>
    public static string NewSecret()
    {
        Span<byte> bytes = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(bytes);
        try
        {
            return SecretPrefix + Convert.ToBase64String(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>The id after <paramref name="keys"/>: <c>k{n+1}</c> where n is the highest number in use (k1 for none).</summary>
    public static string NextKeyId(IEnumerable<EndpointSigningKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var highest = 0;
        foreach (var key in keys)
        {
            if (key.Id.Length > 1 && key.Id[0] == 'k' && int.TryParse(key.Id.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                highest = Math.Max(highest, n);
            }
        }

        return "k" + (highest + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A rotation: <paramref name="added"/> first (signing until the next rotation); the key that was signing without an end
    /// signs until <paramref name="now"/> + <paramref name="overlap"/>; keys already past their end are dropped. Refused when
    /// more than <see cref="MaxKeys"/> would remain (rotations faster than the overlap).
    /// </summary>
    public static Result<(IReadOnlyList<EndpointSigningKey> Kept, IReadOnlyList<EndpointSigningKey> Dropped)> Roll(
        IReadOnlyList<EndpointSigningKey> keys, EndpointSigningKey added, DateTimeOffset now, TimeSpan overlap)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(added);
        var kept = new List<EndpointSigningKey> { added with { NotAfter = null } };
        var dropped = new List<EndpointSigningKey>();
        foreach (var key in keys)
        {
            if (key.NotAfter is { } end && end <= now)
            {
                dropped.Add(key);
            }
            else
            {
                kept.Add(key.NotAfter is null || key.NotAfter > now + overlap ? key with { NotAfter = now + overlap } : key);
            }
        }

        if (kept.Count > MaxKeys)
        {
            return HubError.Conflict(WebhookEndpointErrors.KeyLimit,
                $"The endpoint has {MaxKeys - 1} keys still signing: wait until the oldest's not_after before rotating again.");
        }

        return (kept, dropped);
    }
}
