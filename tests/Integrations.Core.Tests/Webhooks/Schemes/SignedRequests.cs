using Integrations.Core.Webhooks;

namespace Integrations.Core.Tests.Webhooks.Schemes;

/// <summary>
/// Builds deliveries as a provider sends them, for the scheme tests of twilio, hubspot, zoom, mailgun, sendgrid and discord
/// (requests built directly; the contract-test schemes use <see cref="Delivery"/>). The crypto helpers are <see cref="SchemeTestKit"/>'s.
/// </summary>
internal static class SignedRequests
{
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);

    public static WebhookRequest Request(string url, byte[] body, DateTimeOffset receivedAt, params (string Name, string Value)[] headers) =>
        new("POST", url, Headers(headers), body, receivedAt);

    public static WebhookHeaders Headers(params (string Name, string Value)[] headers) =>
        new(headers.Select(h => new KeyValuePair<string, string[]>(h.Name, [h.Value])));

    public static WebhookSigningKey Key(string id, string value) => SchemeTestKit.Key(id, value);

    public static IReadOnlyList<WebhookSigningKey> Keys(params string[] values) =>
        values.Select((v, i) => Key("k" + (i + 1), v)).ToArray();

    public static byte[] Utf8(string text) => SchemeTestKit.Utf8(text);

    public static string HmacSha256Hex(string key, string payload) => SchemeTestKit.HmacSha256Hex(key, payload);

    public static string HmacSha256Base64(string key, string payload) => SchemeTestKit.HmacSha256Base64(Utf8(key), Utf8(payload));

    /// <summary>The same request with one header replaced (or added).</summary>
    public static WebhookRequest WithHeader(this WebhookRequest request, string name, string value) =>
        request with { Headers = new(request.Headers.Names.Where(n => !string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
            .Select(n => new KeyValuePair<string, string[]>(n, request.Headers.GetAll(n).ToArray()))
            .Append(new(name, [value]))) };

    /// <summary>The same request with a header sent twice (its value, then <paramref name="second"/>).</summary>
    public static WebhookRequest WithDuplicate(this WebhookRequest request, string name, string second) =>
        request with { Headers = new(request.Headers.Names
            .Select(n => new KeyValuePair<string, string[]>(n, string.Equals(n, name, StringComparison.OrdinalIgnoreCase)
                ? [.. request.Headers.GetAll(n), second]
                : request.Headers.GetAll(n).ToArray()))) };

    public static WebhookRequest WithoutHeader(this WebhookRequest request, string name) =>
        request with { Headers = new(request.Headers.Names.Where(n => !string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
            .Select(n => new KeyValuePair<string, string[]>(n, request.Headers.GetAll(n).ToArray()))) };

    public static WebhookRequest WithBodyByteFlipped(this WebhookRequest request, int index)
    {
        var body = request.Body.ToArray();
        body[index] ^= 0x01;
        return request with { Body = body };
    }

    /// <summary>A character of <paramref name="value"/> at <paramref name="index"/> changed to another of the same alphabet.</summary>
    public static string Flip(string value, int index)
    {
        var c = value[index];
        // Rotates within the character's class, so a hex digit stays hex and a base64 character stays base64.
        var replacement = c switch
        {
            >= '0' and <= '9' => (char)('0' + ((c - '0' + 1) % 10)),
            >= 'a' and <= 'f' => (char)('a' + ((c - 'a' + 1) % 6)),
            >= 'A' and <= 'F' => (char)('A' + ((c - 'A' + 1) % 6)),
            >= 'g' and <= 'z' => (char)('g' + ((c - 'g' + 1) % 20)),
            >= 'G' and <= 'Z' => (char)('G' + ((c - 'G' + 1) % 20)),
            _ => c == '+' ? '/' : '+',
        };
        return string.Concat(value.AsSpan(0, index), [replacement], value.AsSpan(index + 1));
    }

    /// <summary>The refusal's reason carries none of the given secrets or signatures.</summary>
    public static void AssertReasonHidesAll(WebhookVerification verification, params string[] values)
    {
        Assert.NotNull(verification.Reason);
        foreach (var value in values)
        {
            Assert.DoesNotContain(value, verification.Reason, StringComparison.Ordinal);
        }
    }
}
