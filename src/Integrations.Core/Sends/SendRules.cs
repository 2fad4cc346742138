using System.Globalization;
using System.Text.Json;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.Connections.Proxy;

namespace Integrations.Core.Sends;

/// <summary>A send request, read and checked whole (<see cref="SendRules.Parse"/>); the condition and template are applied later.</summary>
/// <param name="Url">The receiver (a URL send), or null.</param>
/// <param name="ConnectionId">The connection to send through, or null.</param>
/// <param name="Path">Through a connection: the path below its base URL (percent-encoded as given).</param>
/// <param name="Query">Through a connection: the query without '?', or null.</param>
public sealed record SendSpec(
    Uri? Url, string? ConnectionId, string? Path, string? Query, string Method, IReadOnlyList<KeyValuePair<string, string>> Headers,
    JsonElement? Body, JsonElement? Context, string? Condition, SendMode Mode, TimeSpan Timeout, SendRetry Retry)
{
    public override string ToString() => $"SendSpec {{ Method = {Method}, Mode = {Mode}, Connection = {ConnectionId} }}";
}

/// <summary>
/// Reads a send request: <c>{url | connection_id (+ path), method, headers?, body?, context?, condition?, mode?, timeout_ms?,
/// retry_policy?}</c>. Unknown members are refused (a misspelt <c>retry_polciy</c> would otherwise silently send with the
/// defaults). Errors name the field; a header's value is never quoted.
/// </summary>
public static class SendRules
{
    /// <summary>The largest rendered body sent, in UTF-8 bytes.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public const int MaxHeaders = 50;

    public const int MaxUrlLength = 2048;

    public const int DefaultTimeoutMs = 8000;

    public const int MinTimeoutMs = 1000;

    public const int MaxTimeoutMs = 30000;

    public const int MaxAttempts = 10;

    public const int MaxBackoffMs = 60000;

    private static readonly HashSet<string> Members = new(
        ["url", "connection_id", "path", "method", "headers", "body", "context", "condition", "mode", "timeout_ms", "retry_policy"], StringComparer.Ordinal);

    private static readonly HashSet<string> Methods = new(["POST", "PUT", "PATCH"], StringComparer.Ordinal);

    // What the hub sets itself, or what would describe a connection rather than a request (RFC 9110 §7.6.1).
    private static readonly HashSet<string> HubHeaders = new(
        ["Host", "Content-Length", "Expect", "Forwarded", "X-Real-IP", "X-Principal-Id", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Connection", "Keep-Alive",
         "Proxy-Connection", "Proxy-Authorization", "Proxy-Authenticate"], StringComparer.OrdinalIgnoreCase);

    private static readonly string[] HubPrefixes = ["X-Forwarded-", "Hub-", "X-Hub-"];

    /// <summary>Headers that carry a credential: a URL send may set them; through a connection, the connection's credential does.</summary>
    public static IReadOnlySet<string> CredentialHeaders { get; } = new HashSet<string>(["Authorization", "Cookie"], StringComparer.OrdinalIgnoreCase);

    public static Result<SendSpec> Parse(JsonElement request, IRetryStrategySchedule? strategies)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            return Invalid("The body must be a JSON object.", null);
        }

        foreach (var member in request.EnumerateObject())
        {
            if (!Members.Contains(member.Name))
            {
                // The member name is the caller's input: not echoed.
                return Invalid("Unknown member; a send takes url or connection_id (+ path), method, headers, body, context, condition, mode, timeout_ms and retry_policy.", null);
            }
        }

        var url = OptionalString(request, "url");
        var connectionId = OptionalString(request, "connection_id");
        var path = OptionalString(request, "path");
        if (!url.IsSuccess)
        {
            return url.Error;
        }

        if (!connectionId.IsSuccess)
        {
            return connectionId.Error;
        }

        if (!path.IsSuccess)
        {
            return path.Error;
        }

        if ((url.Value is null) == (connectionId.Value is null))
        {
            return Invalid("Give exactly one of url and connection_id.", url.Value is null ? "url" : "connection_id");
        }

        Uri? target = null;
        string? pathOnly = null;
        string? query = null;
        if (url.Value is { } text)
        {
            if (path.Value is not null)
            {
                return Invalid("path goes with connection_id; a url carries its own path.", "path");
            }

            if (text.Length > MaxUrlLength || !Uri.TryCreate(text, UriKind.Absolute, out target) || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps))
            {
                return Invalid($"url must be an absolute http or https URL of at most {MaxUrlLength} characters.", "url");
            }

            if (target.UserInfo.Length > 0 || target.Fragment.Length > 0)
            {
                return Invalid("url must not carry user information or a fragment; send credentials in headers.", "url");
            }
        }
        else
        {
            var raw = path.Value ?? string.Empty;
            if (raw.Length > MaxUrlLength)
            {
                return Invalid($"path must be at most {MaxUrlLength} characters.", "path");
            }

            var mark = raw.IndexOf('?', StringComparison.Ordinal);
            pathOnly = mark < 0 ? raw : raw[..mark];
            query = mark < 0 ? null : raw[(mark + 1)..];
        }

        var method = OptionalString(request, "method");
        if (!method.IsSuccess)
        {
            return method.Error;
        }

        if (method.Value is not { } m || !Methods.Contains(m.ToUpperInvariant()))
        {
            return Invalid("method must be POST, PUT or PATCH.", "method");
        }

        var headers = Headers(request, connectionId.Value is not null);
        if (!headers.IsSuccess)
        {
            return headers.Error;
        }

        JsonElement? body = request.TryGetProperty("body", out var b) ? b.Clone() : null;
        JsonElement? context = null;
        if (request.TryGetProperty("context", out var c) && c.ValueKind != JsonValueKind.Null)
        {
            if (c.ValueKind != JsonValueKind.Object)
            {
                return Invalid("context must be a JSON object.", "context");
            }

            context = c.Clone();
        }

        var condition = OptionalString(request, "condition");
        if (!condition.IsSuccess)
        {
            return condition.Error;
        }

        var mode = OptionalString(request, "mode");
        if (!mode.IsSuccess)
        {
            return mode.Error;
        }

        SendMode sendMode;
        switch (mode.Value)
        {
            case null or "blocking":
                sendMode = SendMode.Blocking;
                break;
            case "fire-and-forget":
                sendMode = SendMode.FireAndForget;
                break;
            default:
                return Invalid("mode must be blocking or fire-and-forget.", "mode");
        }

        var timeout = OptionalInt(request, "timeout_ms", MinTimeoutMs, MaxTimeoutMs, DefaultTimeoutMs);
        if (!timeout.IsSuccess)
        {
            return timeout.Error;
        }

        var retry = Retry(request, strategies);
        if (!retry.IsSuccess)
        {
            return retry.Error;
        }

        return new SendSpec(target, connectionId.Value, pathOnly, query, m.ToUpperInvariant(), headers.Value, body, context, condition.Value, sendMode,
            TimeSpan.FromMilliseconds(timeout.Value), retry.Value);
    }

    private static Result<IReadOnlyList<KeyValuePair<string, string>>> Headers(JsonElement request, bool throughConnection)
    {
        if (!request.TryGetProperty("headers", out var headers) || headers.ValueKind == JsonValueKind.Null)
        {
            return Array.Empty<KeyValuePair<string, string>>();
        }

        if (headers.ValueKind != JsonValueKind.Object)
        {
            return Invalid("headers must be an object of header names to string values.", "headers");
        }

        var list = new List<KeyValuePair<string, string>>();
        foreach (var header in headers.EnumerateObject())
        {
            var field = "headers";
            if (list.Count >= MaxHeaders)
            {
                return Invalid($"At most {MaxHeaders} headers.", field);
            }

            if (!IsToken(header.Name))
            {
                return Invalid("A header name must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~).", field);
            }

            field = "headers." + header.Name;
            if (header.Value.ValueKind != JsonValueKind.String)
            {
                return Invalid("A header's value must be a string.", field);
            }

            var value = header.Value.GetString()!;
            if (value.Length > 8192 || value.Any(ch => ch is '\r' or '\n' or '\0'))
            {
                // The value is never quoted: it may be a credential.
                return Invalid("A header's value must be at most 8192 characters with no CR, LF or NUL.", field);
            }

            if (HubHeaders.Contains(header.Name) || HubPrefixes.Any(p => header.Name.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                return Invalid("This header is set by the hub or describes the connection; it cannot be sent.", field);
            }

            if (throughConnection && CredentialHeaders.Contains(header.Name))
            {
                return Invalid("Through a connection the credential is the connection's; do not send Authorization or Cookie.", field);
            }

            list.Add(KeyValuePair.Create(header.Name, value));
        }

        return list;
    }

    private static Result<SendRetry> Retry(JsonElement request, IRetryStrategySchedule? strategies)
    {
        if (!request.TryGetProperty("retry_policy", out var policy) || policy.ValueKind == JsonValueKind.Null)
        {
            return SendRetry.Default;
        }

        if (policy.ValueKind != JsonValueKind.Object)
        {
            return Invalid("retry_policy must be {attempts, backoff_ms} or {strategy, attempts?}.", "retry_policy");
        }

        foreach (var member in policy.EnumerateObject())
        {
            if (member.Name is not ("attempts" or "backoff_ms" or "strategy"))
            {
                return Invalid("retry_policy takes attempts, backoff_ms or strategy.", "retry_policy");
            }
        }

        var strategy = OptionalString(policy, "strategy", "retry_policy.strategy");
        if (!strategy.IsSuccess)
        {
            return strategy.Error;
        }

        if (strategy.Value is { } name)
        {
            if (policy.TryGetProperty("backoff_ms", out _))
            {
                return Invalid("backoff_ms goes with attempts alone; a strategy has its own delays.", "retry_policy.backoff_ms");
            }

            if (strategies is null || !strategies.TryGetMaxAttempts(name, out var most))
            {
                return Invalid("retry_policy.strategy must name a retry strategy of the hub (linear_1s … linear_4s, exponential_backoff, exponential_backoff_jitter).",
                    "retry_policy.strategy");
            }

            var capped = OptionalInt(policy, "attempts", 1, most, most, "retry_policy.attempts");
            return capped.IsSuccess ? new SendRetry(capped.Value, null, name) : capped.Error;
        }

        var attempts = OptionalInt(policy, "attempts", 1, MaxAttempts, SendRetry.DefaultAttempts, "retry_policy.attempts");
        if (!attempts.IsSuccess)
        {
            return attempts.Error;
        }

        var backoff = OptionalInt(policy, "backoff_ms", 0, MaxBackoffMs, SendRetry.DefaultBackoffMs, "retry_policy.backoff_ms");
        return backoff.IsSuccess ? new SendRetry(attempts.Value, backoff.Value, null) : backoff.Error;
    }

    private static Result<string?> OptionalString(JsonElement owner, string name, string? field = null)
    {
        if (!owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return (string?)null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : Invalid($"{field ?? name} must be a string.", field ?? name);
    }

    private static Result<int> OptionalInt(JsonElement owner, string name, int min, int max, int fallback, string? field = null)
    {
        if (!owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max
            ? number
            : Invalid(string.Create(CultureInfo.InvariantCulture, $"{field ?? name} must be a whole number from {min} to {max}."), field ?? name);
    }

    private static bool IsToken(string name) =>
        name.Length is > 0 and <= 256 && name.All(ch => char.IsAsciiLetterOrDigit(ch) || "!#$%&'*+-.^_`|~".Contains(ch, StringComparison.Ordinal));

    private static HubError Invalid(string message, string? field) => HubError.Invalid(SendErrors.Invalid, message, field);

    /// <summary>Whether a header of the caller goes as a credential header (sent as is) rather than through <see cref="ProxyHeaders.ForRequest"/>, which drops them.</summary>
    internal static bool IsCredential(string name) => CredentialHeaders.Contains(name);
}
