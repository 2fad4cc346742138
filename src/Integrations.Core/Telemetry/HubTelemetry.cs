using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Integrations.Core.Telemetry;

/// <summary>
/// The hub's own traces and metrics: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named
/// <see cref="Name"/>, defined here once and used by the code paths that do the work (vault, token refresh, proxy, webhook
/// verification, delivery, queue jobs, audit). The hosts subscribe to <see cref="Name"/> (<c>AddIntegrationsTelemetry</c>);
/// with no listener every call here is a no-op costing a field read.
/// </summary>
/// <remarks>
/// Metric names and tag values are a contract: Azure Monitor alert rules (infra/) query them by name. Tags carry ids,
/// names of things and outcome words only — never a secret value, a token, a signature, an email address or a URL with
/// its query: a caller passes what this class names, never free text from a request.
/// </remarks>
public static class HubTelemetry
{
    /// <summary>The name of the hub's activity source and meter.</summary>
    public const string Name = "Integrations.Hub";

    /// <summary>The hub's spans.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);

    /// <summary>The hub's instruments.</summary>
    public static Meter Meter { get; } = new(Name);

    /// <summary>Counter, tag <see cref="Tags.Outcome"/> = <see cref="Outcomes.Healthy"/>|<see cref="Outcomes.Failed"/>: connection tests and health checks.</summary>
    public const string ConnectionChecks = "hub.connection.checks";

    /// <summary>Counter, tags <see cref="Tags.Provider"/> and <see cref="Tags.Outcome"/> = <see cref="Outcomes.Success"/>|<see cref="Outcomes.Failure"/>.</summary>
    public const string TokenRefreshes = "hub.oauth.token_refreshes";

    /// <summary>Counter, tag <see cref="Tags.ErrorClass"/> (<see cref="ErrorClasses"/>): every request through the proxy.</summary>
    public const string ProxyRequests = "hub.proxy.requests";

    /// <summary>Gauge, tag <see cref="Tags.Queue"/>: messages in a job queue's poison queue when last counted.</summary>
    public const string PoisonMessages = "hub.queue.poison_messages";

    /// <summary>Counter, tag <see cref="Tags.Operation"/>: vault operations (create, reveal, update, delete, …).</summary>
    public const string VaultOperations = "hub.vault.operations";

    /// <summary>Counter, tags <see cref="Tags.Source"/> (the webhook source's id) and <see cref="Tags.Outcome"/> (verified or the refusal's code).</summary>
    public const string WebhookVerifications = "hub.webhook.verifications";

    /// <summary>Counter, tags <see cref="Tags.Endpoint"/> (the endpoint's id) and <see cref="Tags.Outcome"/> (<c>delivered</c>, <c>retrying</c>, <c>failed</c>).</summary>
    public const string WebhookDeliveries = "hub.webhook.deliveries";

    /// <summary>Histogram in seconds, tag <see cref="Tags.Queue"/>: from a message's insertion to its first run.</summary>
    public const string QueueLag = "hub.queue.lag";

    /// <summary>Histogram in seconds: one audit record's write (sealing included).</summary>
    public const string AuditWriteDuration = "hub.audit.write.duration";

    /// <summary>Tag and attribute names.</summary>
    public static class Tags
    {
        public const string Outcome = "outcome";
        public const string Provider = "provider";
        public const string ErrorClass = "error_class";
        public const string Queue = "queue";
        public const string Operation = "operation";
        public const string Source = "source";
        public const string Endpoint = "endpoint";

        // Span attributes (ids only: they are not secret and say what the span was about).
        public const string OrganizationId = "hub.organization_id";
        public const string ProjectId = "hub.project_id";
        public const string ConnectionId = "hub.connection_id";
        public const string SecretId = "hub.secret_id";
        public const string MessageId = "hub.message_id";
        public const string Attempt = "hub.attempt";
        public const string StatusCode = "http.response.status_code";
    }

    /// <summary>Outcome words.</summary>
    public static class Outcomes
    {
        public const string Healthy = "healthy";
        public const string Failed = "failed";
        public const string Success = "success";
        public const string Failure = "failure";
        public const string Verified = "verified";
        public const string Delivered = "delivered";
        public const string Retrying = "retrying";
    }

    /// <summary>The <see cref="Tags.ErrorClass"/> of a proxied request.</summary>
    public static class ErrorClasses
    {
        /// <summary>The upstream answered with a 1xx–3xx, or a 4xx other than those below.</summary>
        public const string None = "none";
        public const string Auth = "auth";
        public const string RateLimited = "rate_limited";
        public const string UpstreamServerError = "upstream_5xx";
        public const string Timeout = "timeout";
        public const string Network = "network";
        public const string CircuitOpen = "circuit_open";
        public const string TargetRefused = "target_refused";

        /// <summary>The class of an upstream status code (0: no response, <paramref name="failure"/> says why).</summary>
        public static string Of(int statusCode, string? failure = null) => statusCode switch
        {
            0 => failure ?? Network,
            401 or 403 => Auth,
            429 => RateLimited,
            >= 500 => UpstreamServerError,
            _ => None,
        };
    }

    private static readonly Counter<long> ConnectionChecksCounter =
        Meter.CreateCounter<long>(ConnectionChecks, "{check}", "Connection tests and health checks by outcome.");

    private static readonly Counter<long> TokenRefreshesCounter =
        Meter.CreateCounter<long>(TokenRefreshes, "{refresh}", "OAuth token refreshes by provider and outcome.");

    private static readonly Counter<long> ProxyRequestsCounter =
        Meter.CreateCounter<long>(ProxyRequests, "{request}", "Requests through the proxy by error class.");

    private static readonly Counter<long> VaultOperationsCounter =
        Meter.CreateCounter<long>(VaultOperations, "{operation}", "Vault operations by operation.");

    private static readonly Counter<long> WebhookVerificationsCounter =
        Meter.CreateCounter<long>(WebhookVerifications, "{verification}", "Inbound webhook verifications by source and outcome.");

    private static readonly Counter<long> WebhookDeliveriesCounter =
        Meter.CreateCounter<long>(WebhookDeliveries, "{attempt}", "Outbound webhook delivery attempts by endpoint and outcome.");

    private static readonly Histogram<double> QueueLagHistogram =
        Meter.CreateHistogram<double>(QueueLag, "s", "Time from a job message's insertion to its first run.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600] });

    private static readonly Histogram<double> AuditWriteHistogram =
        Meter.CreateHistogram<double>(AuditWriteDuration, "s", "Time to write one audit record.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    // The last count of each poison queue, read when the exporter collects (the counting job updates it).
    private static readonly ConcurrentDictionary<string, long> PoisonDepths = new(StringComparer.Ordinal);

    private static readonly ObservableGauge<long> PoisonMessagesGauge = Meter.CreateObservableGauge(PoisonMessages,
        () => PoisonDepths.Select(d => new Measurement<long>(d.Value, new KeyValuePair<string, object?>(Tags.Queue, d.Key))),
        "{message}", "Messages in a job queue's poison queue when last counted.");

    /// <summary>A connection test or health check ended.</summary>
    public static void RecordConnectionCheck(bool healthy) =>
        ConnectionChecksCounter.Add(1, new KeyValuePair<string, object?>(Tags.Outcome, healthy ? Outcomes.Healthy : Outcomes.Failed));

    /// <summary>A token refresh ended. <paramref name="provider"/> is the provider's template id (e.g. <c>github</c>) or its id.</summary>
    public static void RecordTokenRefresh(string provider, bool success) =>
        TokenRefreshesCounter.Add(1, new KeyValuePair<string, object?>(Tags.Provider, provider),
            new KeyValuePair<string, object?>(Tags.Outcome, success ? Outcomes.Success : Outcomes.Failure));

    /// <summary>A proxied request ended with <paramref name="errorClass"/> (<see cref="ErrorClasses"/>).</summary>
    public static void RecordProxyRequest(string errorClass) =>
        ProxyRequestsCounter.Add(1, new KeyValuePair<string, object?>(Tags.ErrorClass, errorClass));

    /// <summary>A vault operation ran (whatever its outcome).</summary>
    public static void RecordVaultOperation(string operation) =>
        VaultOperationsCounter.Add(1, new KeyValuePair<string, object?>(Tags.Operation, operation));

    /// <summary>An inbound webhook was verified (<see cref="Outcomes.Verified"/>) or refused (the refusal's code).</summary>
    public static void RecordWebhookVerification(string sourceId, string outcome) =>
        WebhookVerificationsCounter.Add(1, new KeyValuePair<string, object?>(Tags.Source, sourceId), new KeyValuePair<string, object?>(Tags.Outcome, outcome));

    /// <summary>A delivery attempt to an endpoint ended.</summary>
    public static void RecordDelivery(string endpointId, string outcome) =>
        WebhookDeliveriesCounter.Add(1, new KeyValuePair<string, object?>(Tags.Endpoint, endpointId), new KeyValuePair<string, object?>(Tags.Outcome, outcome));

    /// <summary>A job message first ran <paramref name="lag"/> after it was inserted.</summary>
    public static void RecordQueueLag(string queue, TimeSpan lag) =>
        QueueLagHistogram.Record(Math.Max(0, lag.TotalSeconds), new KeyValuePair<string, object?>(Tags.Queue, queue));

    /// <summary>One audit record took <paramref name="duration"/> to write.</summary>
    public static void RecordAuditWrite(TimeSpan duration) => AuditWriteHistogram.Record(duration.TotalSeconds);

    /// <summary>Sets the depth of <paramref name="queue"/>'s poison queue, reported until the next count.</summary>
    public static void SetPoisonDepth(string queue, long count) => PoisonDepths[queue] = count;

    /// <summary>Starts a span of the hub's own (null when nobody listens).</summary>
    public static Activity? StartActivity(string name, ActivityKind kind = ActivityKind.Internal) => ActivitySource.StartActivity(name, kind);

    /// <summary>Marks <paramref name="activity"/> failed with a fixed description (never an exception message: it may quote input).</summary>
    public static void Fail(this Activity? activity, string description) => activity?.SetStatus(ActivityStatusCode.Error, description);
}
