namespace Integrations.Api.Jobs;

/// <summary>A queue message as both shells hand it to <see cref="QueueJobRunner"/>.</summary>
/// <param name="MessageId">The message's id on its queue.</param>
/// <param name="Body">The message text (decoded from base64).</param>
/// <param name="DequeueCount">How often it has been received, this time included: 1 on the first attempt.</param>
/// <param name="InsertedOn">When the message was put on its queue (the storage service's clock), when the shell knows it: the queue lag metric.</param>
public sealed record QueueJobMessage(string MessageId, string Body, long DequeueCount, DateTimeOffset? InsertedOn = null)
{
    /// <summary>The body is left out: it may carry something that belongs in no log.</summary>
    public override string ToString() => $"{nameof(QueueJobMessage)} {{ MessageId = {MessageId}, DequeueCount = {DequeueCount} }}";
}
