using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Integrations.Core.Webhooks.Schemes;

internal static partial class SchemeSupport
{
    /// <summary>Longest decimal an Int64 can have (19 digits); anything longer is refused before parsing.</summary>
    private const int MaxInt64Digits = 19;

    private static readonly SearchValues<char> AsciiDigits = SearchValues.Create("0123456789");

    /// <summary>
    /// A Unix time as the provider wrote it: 1 to 19 ASCII digits (no sign, no spaces, no decimals or exponent), fitting in
    /// an Int64. The unit (seconds or milliseconds) is the scheme's.
    /// </summary>
    public static bool TryParseUnixTime(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        return text.Length is > 0 and <= MaxInt64Digits && !text.ContainsAnyExcept(AsciiDigits) &&
            long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// <see cref="TryParseUnixTime(ReadOnlySpan{char}, out long)"/> with the refusal built when it fails: <see cref="WebhookRefusal.Malformed"/> naming
    /// <paramref name="what"/> (e.g. "X-Slack-Request-Timestamp header"), never the value.
    /// </summary>
    public static bool TryParseUnixTime(ReadOnlySpan<char> text, string what, string unit, out long value, out WebhookVerification? refusal)
    {
        refusal = TryParseUnixTime(text, out value) ? null : NotAUnixTime(what, unit);
        return refusal is null;
    }

    /// <summary>
    /// The two headers a timestamped signature comes in (HubSpot, Zoom, SendGrid, Discord): <paramref name="signatureHeader"/>
    /// and <paramref name="timestampHeader"/> each exactly once, the timestamp a Unix time in <paramref name="unit"/>
    /// ("seconds" or "milliseconds"). The signature is checked first, so a delivery missing both is refused for its signature.
    /// </summary>
    public static bool TryGetTimestampedSignature(
        WebhookHeaders headers,
        string signatureHeader,
        string timestampHeader,
        string unit,
        [NotNullWhen(true)] out string? signature,
        [NotNullWhen(true)] out string? timestampText,
        out long timestamp,
        out WebhookVerification? refusal)
    {
        timestamp = 0;
        timestampText = null;
        return headers.TryGetSingle(signatureHeader, out signature, out refusal)
            && headers.TryGetSingle(timestampHeader, out timestampText, out refusal)
            && TryParseUnixTime(timestampText, $"{timestampHeader} header", unit, out timestamp, out refusal);
    }

    /// <summary>The refusal for a timestamp that is not a Unix time (<paramref name="unit"/>: "seconds" or "milliseconds").</summary>
    public static WebhookVerification NotAUnixTime(string what, string unit = "seconds") =>
        WebhookVerification.Refuse(WebhookRefusal.Malformed, $"The {what} is not a Unix time in {unit}.");

    /// <summary>
    /// The refusal for a signed time more than <paramref name="toleranceSeconds"/> away from the receive time, in either
    /// direction (a future time is as suspect as an old one: it would outlive the idempotency window); null when inside.
    /// </summary>
    public static WebhookVerification? CheckTolerance(long signedUnixSeconds, DateTimeOffset receivedAt, int toleranceSeconds, string what) =>
        CheckToleranceMilliseconds(
            signedUnixSeconds > long.MaxValue / 1000 ? long.MaxValue : signedUnixSeconds * 1000,
            receivedAt,
            toleranceSeconds,
            what);

    /// <summary><see cref="CheckTolerance"/> for a time in Unix milliseconds (Linear's <c>webhookTimestamp</c>, HubSpot's timestamp header).</summary>
    public static WebhookVerification? CheckToleranceMilliseconds(long signedUnixMilliseconds, DateTimeOffset receivedAt, int toleranceSeconds, string what)
    {
        var now = receivedAt.ToUnixTimeMilliseconds();
        var tolerance = Math.Max(0L, toleranceSeconds) * 1000L;

        // Both operands are non-negative, so neither subtraction can overflow.
        if (signedUnixMilliseconds < 0 || now - signedUnixMilliseconds > tolerance)
        {
            return WebhookVerification.Refuse(WebhookRefusal.Stale, $"The {what} is more than {toleranceSeconds} seconds older than the receive time.");
        }

        if (signedUnixMilliseconds - now > tolerance)
        {
            return WebhookVerification.Refuse(WebhookRefusal.Stale, $"The {what} is more than {toleranceSeconds} seconds ahead of the receive time.");
        }

        return null;
    }
}
