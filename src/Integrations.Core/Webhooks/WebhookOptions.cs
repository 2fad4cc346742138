using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.Webhooks;

/// <summary>Inbound webhook ingress: body limit, idempotency and event retention, the project queues. Bound from <c>Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Default 1 MiB.</summary>
    public const int DefaultMaxBodyBytes = 1024 * 1024;

    /// <summary>The largest body accepted; a larger one is refused with 413 after reading no further than this. Default 1 MiB.</summary>
    [Range(1024, 4 * 1024 * 1024, ErrorMessage = "Webhooks:MaxBodyBytes must be between 1024 and 4194304 (4 MiB).")]
    public int MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

    /// <summary>How long a delivery's (source, event id) is remembered so that a retry is a duplicate. Default 24 hours.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00", ErrorMessage = "Webhooks:IdempotencyRetention must be between 5 minutes and 30 days.")]
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a stored event (body included) is kept for the events API and replay. Default 7 days. The event row is also
    /// the idempotency key, so it must be at least <see cref="IdempotencyRetention"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:05:00", "400.00:00:00", ErrorMessage = "Webhooks:EventRetention must be between 5 minutes and 400 days.")]
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The project queues are named <c>{QueuePrefix}-{project id}</c> (lower case, hyphens). Default <c>webhooks</c>:
    /// 3–20 lowercase letters, digits and single hyphens.
    /// </summary>
    [Required(ErrorMessage = "Webhooks:QueuePrefix is required, e.g. \"webhooks\".")]
    [RegularExpression("^[a-z0-9](?:[a-z0-9]|-(?!-)){1,18}[a-z0-9]$",
        ErrorMessage = "Webhooks:QueuePrefix must be 3 to 20 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.")]
    public string QueuePrefix { get; set; } = "webhooks";

    /// <summary>
    /// How long a copy that stored an event but has not enqueued it yet holds it: a copy of the same delivery arriving later
    /// than this takes the event over and enqueues it (the first copy crashed). Default 30 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:02", "00:10:00", ErrorMessage = "Webhooks:ClaimLease must be between 2 seconds and 10 minutes.")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a concurrent copy waits for the first one to finish enqueueing before it answers 503 (the provider retries). Default 2 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10", ErrorMessage = "Webhooks:DuplicateWait must be between 0 and 10 seconds.")]
    public TimeSpan DuplicateWait { get; set; } = TimeSpan.FromSeconds(2);
}
