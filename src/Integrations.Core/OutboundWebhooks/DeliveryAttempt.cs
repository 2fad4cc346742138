namespace Integrations.Core.OutboundWebhooks;

/// <summary>One HTTP attempt of a delivery, as the attempts routes show it.</summary>
/// <param name="Number">1 for the first attempt; replays continue the numbering.</param>
/// <param name="StatusCode">The receiver's status; null when no response came (see <see cref="Error"/>).</param>
/// <param name="ResponseBody">The first 4 KiB of the receiver's body as text (never anything of ours: no secret is sent back).</param>
/// <param name="Error">For no response: the failure class and a sentence naming only the target's scheme, host and port.</param>
public sealed record DeliveryAttempt(
    string MessageId,
    string EndpointId,
    int Number,
    DateTimeOffset At,
    int? StatusCode,
    TimeSpan Duration,
    string? ResponseBody,
    string? Error)
{
    /// <summary>How much of a response body an attempt keeps.</summary>
    public const int MaxResponseBodyChars = 4096;

    public bool Succeeded => StatusCode is >= 200 and < 300;
}
