namespace Integrations.Core.Webhooks;

/// <summary>A source's verification settings beyond its scheme and secrets. Never a secret.</summary>
/// <param name="ToleranceSeconds">How far a signed timestamp may be from the receive time, in either direction (default 300).</param>
/// <param name="Hmac">The generic scheme's shape; required for <see cref="WebhookSchemes.Hmac"/>, null otherwise.</param>
/// <param name="EventIdHeader">For <c>hmac</c>: the header that carries the provider's event id (idempotency).</param>
/// <param name="EventIdPointer">For <c>hmac</c>: a JSON pointer (RFC 6901) to the event id in the body, when no header carries it.</param>
/// <param name="EventTypePointer">For <c>hmac</c>: a JSON pointer to the event type in the body.</param>
public sealed record WebhookSourceSettings(
    int ToleranceSeconds = WebhookSourceSettings.DefaultToleranceSeconds,
    HmacSchemeSettings? Hmac = null,
    string? EventIdHeader = null,
    string? EventIdPointer = null,
    string? EventTypePointer = null)
{
    public const int DefaultToleranceSeconds = 300;

    public static WebhookSourceSettings Default { get; } = new();
}

/// <summary>The generic HMAC scheme: which header, algorithm and encoding, and what is signed.</summary>
/// <param name="SignatureHeader">The header with the signature, e.g. <c>X-Signature</c>.</param>
/// <param name="Algorithm"><c>sha256</c>, <c>sha512</c> or <c>sha1</c>.</param>
/// <param name="Encoding"><c>hex</c> or <c>base64</c>.</param>
/// <param name="Prefix">Text before the signature in the header, e.g. <c>sha256=</c>; null for none.</param>
/// <param name="TimestampHeader">The header with a Unix-seconds timestamp; null when the provider sends none (no tolerance check, body alone signed).</param>
/// <param name="Separator">What joins timestamp and body in the signed payload (default <c>.</c>); used only with <paramref name="TimestampHeader"/>.</param>
public sealed record HmacSchemeSettings(
    string SignatureHeader,
    string Algorithm = "sha256",
    string Encoding = "hex",
    string? Prefix = null,
    string? TimestampHeader = null,
    string Separator = ".");
