using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Integrations.Azure.Queues;

/// <summary>
/// Puts webhook events on their project's Storage Queue, <c>{Webhooks:QueuePrefix}-{project id}</c> (see
/// <see cref="QueueNameOf"/>), created on first use. The message is JSON <c>{event_id, source_id, project_id, type,
/// received_at}</c>, base64-encoded like every hub queue message (the Functions trigger's default); the body is not in
/// it — consumers read it from <c>GET /v1/projects/{projectId}/events/{event_id}</c>.
/// </summary>
public sealed class StorageWebhookEventPublisher(QueueServiceClient service, IOptions<WebhookOptions> options) : IWebhookEventPublisher
{
    private readonly ConcurrentDictionary<string, QueueClient> _queues = new(StringComparer.Ordinal);

    /// <summary>
    /// The queue of <paramref name="projectId"/>: the prefix, a hyphen and the id lower-cased with every character other
    /// than a letter or digit turned into a hyphen (runs of hyphens collapsed, none at the end), cut to 63 characters.
    /// </summary>
    public static string QueueNameOf(string prefix, string projectId)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(projectId);
        var name = new System.Text.StringBuilder(prefix.Length + 1 + projectId.Length).Append(prefix).Append('-');
        foreach (var c in projectId.ToLowerInvariant())
        {
            var mapped = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '-';
            if (mapped != '-' || name[^1] != '-')
            {
                name.Append(mapped);
            }
        }

        var result = name.ToString();
        result = result.Length > 63 ? result[..63] : result;
        return result.TrimEnd('-');
    }

    public async Task EnqueueAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var message = JsonSerializer.Serialize(new Message(webhookEvent.Id, webhookEvent.SourceId, webhookEvent.ProjectId, webhookEvent.EventType, webhookEvent.ReceivedAt));
        var queue = _queues.GetOrAdd(webhookEvent.ProjectId, id => service.GetQueueClient(QueueNameOf(options.Value.QueuePrefix, id)));
        try
        {
            await queue.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // A project's first event: its queue is created here rather than with the project.
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await queue.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The queue message's contract (snake_case names are part of it).</summary>
    private sealed record Message(
        [property: System.Text.Json.Serialization.JsonPropertyName("event_id")] string EventId,
        [property: System.Text.Json.Serialization.JsonPropertyName("source_id")] string SourceId,
        [property: System.Text.Json.Serialization.JsonPropertyName("project_id")] string ProjectId,
        [property: System.Text.Json.Serialization.JsonPropertyName("type")] string? Type,
        [property: System.Text.Json.Serialization.JsonPropertyName("received_at")] DateTimeOffset ReceivedAt);
}
