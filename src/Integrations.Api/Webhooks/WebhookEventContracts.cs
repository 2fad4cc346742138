using System.Text;
using Integrations.Core.Webhooks;

namespace Integrations.Api.Webhooks;

/// <summary>A received event in a list: metadata, never the body.</summary>
public sealed record WebhookEventResponse(
    string Id, string SourceId, string ProjectId, string Scheme, string ProviderEventId, string? Type, DateTimeOffset ReceivedAt,
    IReadOnlyDictionary<string, string> Headers, long BodyLength)
{
    public static WebhookEventResponse From(WebhookEvent e) =>
        new(e.Id, e.SourceId, e.ProjectId, e.Scheme, e.ProviderEventId, e.EventType, e.ReceivedAt, e.Headers, e.BodyLength);
}

/// <summary>One received event with its raw body: <c>body_base64</c> always, <c>body</c> when the bytes are valid UTF-8.</summary>
public sealed record WebhookEventDetailResponse(
    string Id, string SourceId, string ProjectId, string Scheme, string ProviderEventId, string? Type, DateTimeOffset ReceivedAt,
    IReadOnlyDictionary<string, string> Headers, long BodyLength, string BodyBase64, string? Body)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static WebhookEventDetailResponse From(StoredWebhookEvent stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var e = stored.Event;
        return new(e.Id, e.SourceId, e.ProjectId, e.Scheme, e.ProviderEventId, e.EventType, e.ReceivedAt, e.Headers, e.BodyLength,
            Convert.ToBase64String(stored.Body.Span), Text(stored.Body.Span));
    }

    private static string? Text(ReadOnlySpan<byte> body)
    {
        try
        {
            return StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}

/// <summary>The answer to an accepted or duplicate delivery.</summary>
public sealed record WebhookReceivedResponse(bool Received, string EventId, bool Duplicate);

/// <summary>The answer to a replay.</summary>
public sealed record WebhookReplayResponse(string EventId, bool Replayed);
