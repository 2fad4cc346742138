using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.Webhooks;

/// <summary>
/// Webhooks in (ingress: body limit, idempotency and event retention, the project queues) and out (endpoints, messages,
/// delivery retries). Bound from <c>Webhooks</c> and validated at start.
/// </summary>
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

    // ---- Outbound: endpoints, messages and deliveries ----

    /// <summary>Default <see cref="RetrySchedule"/>: at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (each ±20 % jitter).</summary>
    public const string DefaultRetrySchedule = "0s,5s,5m,30m,2h,5h,10h,10h";

    /// <summary>
    /// The delay before each attempt of a delivery, comma-separated durations (<c>0s</c>, <c>5s</c>, <c>5m</c>, <c>2h</c>, or
    /// <c>hh:mm:ss</c>); the count is the number of attempts. Each delay gets ±20 % jitter, never less than a
    /// <c>Retry-After</c> and at least 60 s after a 429 or a timeout. Tests compress it.
    /// </summary>
    [Required(ErrorMessage = "Webhooks:RetrySchedule is required, e.g. \"0s,5s,5m,30m,2h,5h,10h,10h\".")]
    public string RetrySchedule { get; set; } = DefaultRetrySchedule;

    /// <summary>
    /// Delivery tickets of one project drained from the poison queue within <see cref="PoisonAlertWindow"/> that raise
    /// <c>webhook.deliveries_poisoned</c> for that project (at most once per window). Default 1: every poisoned delivery is news.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "Webhooks:PoisonAlertThreshold must be between 1 and 1000000.")]
    public int PoisonAlertThreshold { get; set; } = 1;

    /// <summary>The fixed window <see cref="PoisonAlertThreshold"/> counts in, and the most often the event is raised per project. Default 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Webhooks:PoisonAlertWindow must be between 1 minute and 1 day.")]
    public TimeSpan PoisonAlertWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The largest message payload accepted (<c>POST …/messages</c>); larger is 413. Default 256 KiB.</summary>
    [Range(1024, 1024 * 1024, ErrorMessage = "Webhooks:MaxMessageBytes must be between 1024 and 1048576 (1 MiB).")]
    public int MaxMessageBytes { get; set; } = 256 * 1024;

    /// <summary>How long a message's idempotency key returns the first message. Default 24 hours.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00", ErrorMessage = "Webhooks:MessageIdempotencyRetention must be between 5 minutes and 30 days.")]
    public TimeSpan MessageIdempotencyRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long messages, deliveries and attempts are kept for listing, replay and recover. Default 30 days.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "400.00:00:00", ErrorMessage = "Webhooks:MessageRetention must be between 1 hour and 400 days.")]
    public TimeSpan MessageRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>An endpoint failing for this long without a success is disabled (an event says so). Default 5 days.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00", ErrorMessage = "Webhooks:EndpointDisableAfter must be between 1 minute and 90 days.")]
    public TimeSpan EndpointDisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>How long an old signing secret keeps signing after a rotation. Default 24 hours.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00", ErrorMessage = "Webhooks:SecretRotationOverlap must be between 0 and 7 days.")]
    public TimeSpan SecretRotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// The most endpoints a project may have. Default 50, at most 90: a message and its deliveries (one per endpoint) are
    /// stored in one entity-group transaction, which holds at most 100 entities.
    /// </summary>
    [Range(1, 90, ErrorMessage = "Webhooks:MaxEndpointsPerProject must be between 1 and 90.")]
    public int MaxEndpointsPerProject { get; set; } = 50;

    /// <summary>How long an instance keeps a project's endpoints and their secrets in memory. Default 5 s; 0 turns it off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Webhooks:EndpointCacheDuration must be between 0 and 10 minutes.")]
    public TimeSpan EndpointCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A fan-out still marked open this long after its accept began is taken for one whose process died before queueing
    /// every ticket, and the fan-out recovery job (<c>Webhooks:FanOutRecoverySchedule</c>) queues them. Default 1 minute:
    /// queueing takes milliseconds, and the margin keeps the job clear of accepts still under way.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Webhooks:FanOutRecoveryAfter must be between 1 second and 1 hour.")]
    public TimeSpan FanOutRecoveryAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long direct sends (<c>POST …/sends</c>) and their attempts are kept for <c>GET …/sends/{id}</c>. Default 7 days.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00", ErrorMessage = "Webhooks:SendRetention must be between 1 hour and 90 days.")]
    public TimeSpan SendRetention { get; set; } = TimeSpan.FromDays(7);
}
