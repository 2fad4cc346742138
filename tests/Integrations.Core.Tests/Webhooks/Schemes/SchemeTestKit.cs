using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Integrations.Core.Webhooks;

namespace Integrations.Core.Tests.Webhooks.Schemes;

/// <summary>One delivery as a test builds it: headers in order (a name may repeat) and the raw body.</summary>
public sealed record Delivery(IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public static Delivery Of(string body, params (string Name, string Value)[] headers) =>
        new(headers.Select(h => KeyValuePair.Create(h.Name, h.Value)).ToList(), Encoding.UTF8.GetBytes(body));

    public string Header(string name) => Headers.Single(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public Delivery With(string name, string value) =>
        this with { Headers = [.. Headers.Where(h => !string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)), KeyValuePair.Create(name, value)] };

    public Delivery Without(string name) =>
        this with { Headers = [.. Headers.Where(h => !string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))] };

    /// <summary>The header sent a second time with the same value (two header lines, as a proxy or an attacker may send).</summary>
    public Delivery Duplicating(string name) => this with { Headers = [.. Headers, KeyValuePair.Create(name, Header(name))] };

    public Delivery WithBody(byte[] body) => this with { Body = body };

    public Delivery FlipBodyByte(int index = -1)
    {
        var body = (byte[])Body.Clone();
        var at = index >= 0 ? index : body.Length / 2;
        body[at] ^= 0x01;
        return WithBody(body);
    }

    public WebhookRequest ToRequest(DateTimeOffset receivedAt) =>
        new("POST", "https://hub.example.test/v1/webhooks/whs_test", new WebhookHeaders(Headers.Select(h => KeyValuePair.Create(h.Key, new[] { h.Value }))), Body, receivedAt);
}

internal static class SchemeTestKit
{
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static string HmacSha256Hex(string key, string message) => HmacSha256Hex(Utf8(key), Utf8(message));

    public static string HmacSha256Hex(byte[] key, byte[] message) => Convert.ToHexStringLower(HMACSHA256.HashData(key, message));

    public static string HmacSha256Base64(byte[] key, byte[] message) => Convert.ToBase64String(HMACSHA256.HashData(key, message));

    public static byte[] Concat(string prefix, byte[] body) => [.. Utf8(prefix), .. body];

    public static string Unix(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    public static WebhookSigningKey Key(string id, string value) => new(id, value, null);

    /// <summary>Changes one character of a hex or base64 signature to another character of the same alphabet.</summary>
    public static string FlipCharacter(string value, int fromEnd = 6)
    {
        var chars = value.ToCharArray();
        var at = chars.Length - fromEnd;
        chars[at] = chars[at] == '0' ? '1' : '0';
        return new string(chars);
    }
}
