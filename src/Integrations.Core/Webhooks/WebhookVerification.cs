namespace Integrations.Core.Webhooks;

/// <summary>Why a delivery was refused; each has its own counter in the source's stats.</summary>
public enum WebhookRefusal
{
    /// <summary>No active secret produced a listed signature.</summary>
    BadSignature,

    /// <summary>The signed timestamp is outside the tolerance window, in the past or the future.</summary>
    Stale,

    /// <summary>A header or body the scheme needs could not be parsed (not a number, not base64, not JSON …).</summary>
    Malformed,

    MissingHeader,

    DuplicateHeader,
}

/// <summary>
/// What the hub answers instead of accepting an event: Slack's <c>url_verification</c>, Zoom's <c>endpoint.url_validation</c>,
/// Asana's <c>X-Hook-Secret</c> handshake. Only ever produced after the request is verified (or, for Asana's first
/// handshake, when the source has no secret yet).
/// </summary>
/// <param name="ContentType">The response's media type.</param>
/// <param name="Body">The response body.</param>
/// <param name="Headers">Response headers to echo (Asana's <c>X-Hook-Secret</c>).</param>
public sealed record WebhookChallenge(string ContentType, string Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    public override string ToString() => $"WebhookChallenge {{ ContentType = {ContentType}, Body = ***, Headers = {Headers?.Count ?? 0} }}";
}

/// <summary>The outcome of one verification: accepted (with the event's id and type) or refused (with a reason a provider's operator can act on).</summary>
public sealed record WebhookVerification
{
    private WebhookVerification()
    {
    }

    public bool IsVerified => Refusal is null;

    /// <summary>Why it was refused; null when verified.</summary>
    public WebhookRefusal? Refusal { get; private init; }

    /// <summary>The refusal in words, never with a secret or signature in it; null when verified.</summary>
    public string? Reason { get; private init; }

    /// <summary>The provider's event id (idempotency key); null when the scheme has none for this delivery (a challenge).</summary>
    public string? EventId { get; private init; }

    /// <summary>The provider's event type (e.g. <c>invoice.paid</c>, <c>push</c>); null when unknown.</summary>
    public string? EventType { get; private init; }

    /// <summary>Which signing key matched (its <see cref="WebhookSigningKey.Id"/>).</summary>
    public string? KeyId { get; private init; }

    /// <summary>A handshake to answer instead of storing an event.</summary>
    public WebhookChallenge? Challenge { get; private init; }

    /// <summary>A secret the provider handed over in a handshake (Asana's <c>X-Hook-Secret</c>) that the source must store.</summary>
    public string? NewSigningSecret { get; private init; }

    public static WebhookVerification Verified(string? eventId, string? eventType, string keyId) =>
        new() { EventId = eventId, EventType = eventType, KeyId = keyId };

    public static WebhookVerification Answer(WebhookChallenge challenge, string? keyId = null, string? newSigningSecret = null) =>
        new() { Challenge = challenge, KeyId = keyId, NewSigningSecret = newSigningSecret };

    public static WebhookVerification Refuse(WebhookRefusal refusal, string reason) => new() { Refusal = refusal, Reason = reason };

    public override string ToString() =>
        $"WebhookVerification {{ Refusal = {Refusal}, Reason = {Reason}, EventId = {EventId}, EventType = {EventType}, KeyId = {KeyId}, Challenge = {Challenge is not null}, NewSigningSecret = {(NewSigningSecret is null ? "null" : "***")} }}";
}
