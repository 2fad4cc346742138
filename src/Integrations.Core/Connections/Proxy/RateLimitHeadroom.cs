using System.Globalization;

namespace Integrations.Core.Connections.Proxy;

/// <summary>
/// An upstream's rate-limit headroom as its last response stated it: how many requests the window allows, how many
/// are left, and when the window resets. Any part may be missing.
/// </summary>
/// <param name="Limit">Requests the window allows.</param>
/// <param name="Remaining">Requests left in the window.</param>
/// <param name="ResetAt">When the window resets.</param>
public sealed record RateLimitHeadroom(long? Limit, long? Remaining, DateTimeOffset? ResetAt)
{
    // X-RateLimit-Reset is delta seconds for some APIs and a Unix time for others (GitHub); a Unix time in seconds or
    // milliseconds is far above any delta an API would send.
    private const double EpochSecondsFloor = 1_000_000_000;
    private const double EpochMillisecondsFloor = 1_000_000_000_000;

    /// <summary>
    /// Reads the first form present, newest first: the IETF structured <c>RateLimit</c> header (draft-ietf-httpapi-
    /// ratelimit-headers -07 <c>limit=, remaining=, reset=</c>, or -08 and later <c>"policy";r=;t=</c> with
    /// <c>RateLimit-Policy: "policy";q=;w=</c>), then <c>RateLimit-Limit</c>/<c>-Remaining</c>/<c>-Reset</c> (drafts
    /// -00 to -06, delta seconds), then <c>X-RateLimit-Limit</c>/<c>-Remaining</c>/<c>-Reset</c> (delta seconds, Unix
    /// seconds or Unix milliseconds). Null when no limit or remaining count can be read.
    /// </summary>
    /// <param name="headers">The response headers (names ignore case; repeated names are joined with commas).</param>
    /// <param name="now">The hub's clock, to turn a delta into a time.</param>
    public static RateLimitHeadroom? Parse(IEnumerable<KeyValuePair<string, string>> headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var byName = headers.GroupBy(header => header.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(group => group.Key, group => string.Join(", ", group.Select(header => header.Value)), StringComparer.OrdinalIgnoreCase);

        return Structured(byName, now)
            ?? Fields(byName, "RateLimit-", now, unixAllowed: false)
            ?? Fields(byName, "X-RateLimit-", now, unixAllowed: true);
    }

    private static RateLimitHeadroom? Structured(Dictionary<string, string> headers, DateTimeOffset now)
    {
        if (!headers.TryGetValue("RateLimit", out var value))
        {
            return null;
        }

        var items = SplitItems(value).Select(Parameters).ToList();

        // Draft -07: one dictionary, "limit=100, remaining=50, reset=5".
        var dictionary = items.SelectMany(item => item.Parameters).GroupBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(group => group.Key, group => group.First().Value, StringComparer.OrdinalIgnoreCase);
        if (dictionary.ContainsKey("remaining") || dictionary.ContainsKey("limit"))
        {
            return Make(Integer(dictionary.GetValueOrDefault("limit")), Integer(dictionary.GetValueOrDefault("remaining")), Delta(dictionary.GetValueOrDefault("reset"), now));
        }

        // Draft -08 and later: a list of policies, "default";r=50;t=30 — the one with least left is the one that binds.
        var binding = items.Where(item => Integer(item.Parameters.GetValueOrDefault("r")) is not null)
            .OrderBy(item => Integer(item.Parameters["r"])).FirstOrDefault();
        if (binding.Parameters is null)
        {
            return null;
        }

        long? limit = null;
        if (headers.TryGetValue("RateLimit-Policy", out var policies))
        {
            var policy = SplitItems(policies).Select(Parameters).FirstOrDefault(item => item.Name == binding.Name);
            limit = policy.Parameters is null ? null : Integer(policy.Parameters.GetValueOrDefault("q"));
        }

        return Make(limit, Integer(binding.Parameters["r"]), Delta(binding.Parameters.GetValueOrDefault("t"), now));
    }

    private static RateLimitHeadroom? Fields(Dictionary<string, string> headers, string prefix, DateTimeOffset now, bool unixAllowed)
    {
        // RateLimit-Limit may carry a quota policy after the number ("10, 10;w=1, 50;w=60"): the first number is the limit.
        var limit = headers.TryGetValue(prefix + "Limit", out var limitValue) ? Integer(FirstNumber(limitValue)) : null;
        var remaining = headers.TryGetValue(prefix + "Remaining", out var remainingValue) ? Integer(FirstNumber(remainingValue)) : null;
        DateTimeOffset? reset = null;
        if (headers.TryGetValue(prefix + "Reset", out var resetValue))
        {
            var number = FirstNumber(resetValue);
            if (double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
            {
                reset = unixAllowed && seconds >= EpochMillisecondsFloor ? DateTimeOffset.FromUnixTimeMilliseconds((long)seconds)
                    : unixAllowed && seconds >= EpochSecondsFloor ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
                    : now.AddSeconds(seconds);
            }
            else if (DateTimeOffset.TryParseExact(resetValue.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            {
                reset = date;
            }
        }

        return Make(limit, remaining, reset);
    }

    private static RateLimitHeadroom? Make(long? limit, long? remaining, DateTimeOffset? reset) =>
        limit is null && remaining is null ? null : new RateLimitHeadroom(limit, remaining, reset);

    private static DateTimeOffset? Delta(string? value, DateTimeOffset now) =>
        Integer(value) is { } seconds ? now.AddSeconds(seconds) : null;

    private static long? Integer(string? value) =>
        long.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static string FirstNumber(string value)
    {
        var first = value.Split(',', 2)[0];
        return first.Split(';', 2)[0].Trim();
    }

    // Structured-field list members are separated by commas outside quoted strings.
    private static IEnumerable<string> SplitItems(string value)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '"')
            {
                quoted = !quoted;
            }
            else if (value[i] == ',' && !quoted)
            {
                yield return value[start..i].Trim();
                start = i + 1;
            }
        }

        yield return value[start..].Trim();
    }

    /// <summary>An item <c>name;k=v;k=v</c> or a dictionary member <c>k=v</c> (then the member itself is the one parameter).</summary>
    private static (string Name, Dictionary<string, string> Parameters) Parameters(string item)
    {
        var parts = item.Split(';', StringSplitOptions.TrimEntries);
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var name = parts[0].Trim('"');
        for (var i = 0; i < parts.Length; i++)
        {
            var equals = parts[i].IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                parameters.TryAdd(parts[i][..equals].Trim(), parts[i][(equals + 1)..].Trim().Trim('"'));
            }
        }

        return (name, parameters);
    }
}
