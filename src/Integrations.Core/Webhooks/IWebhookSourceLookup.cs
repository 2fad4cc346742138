namespace Integrations.Core.Webhooks;

/// <summary>
/// What ingress needs from the webhook sources: a source and its active keys by id (cached), the source a project-level
/// delivery is meant for (sniffing), and where a handshake's secret goes (Asana). Implemented over the sources'
/// resolver, sniffer and service.
/// </summary>
public interface IWebhookSourceLookup
{
    /// <summary>The enabled source <paramref name="sourceId"/> with its keys; null when unknown or disabled.</summary>
    Task<ResolvedWebhookSource?> ResolveAsync(string sourceId, CancellationToken cancellationToken = default);

    /// <summary>The enabled source of <paramref name="projectId"/> whose scheme <paramref name="headers"/> match, or why none is.</summary>
    Task<WebhookSniffResult> SniffAsync(string projectId, WebhookHeaders headers, CancellationToken cancellationToken = default);

    /// <summary>Stores a secret the provider handed over in a handshake as the source's signing secret; false when it could not.</summary>
    Task<bool> StoreHandshakeSecretAsync(WebhookSource source, string secret, CancellationToken cancellationToken = default);
}

/// <summary>The outcome of sniffing: the source, or a reason (unknown project, no match, several matches) for a 400.</summary>
public sealed record WebhookSniffResult(ResolvedWebhookSource? Source, string? Reason, bool ProjectUnknown = false)
{
    public static WebhookSniffResult Found(ResolvedWebhookSource source) => new(source, null);

    public static WebhookSniffResult Refused(string reason) => new(null, reason);

    /// <summary>No such project (or not one with sources): 404, like an unknown source.</summary>
    public static WebhookSniffResult UnknownProject { get; } = new(null, "No such project.", ProjectUnknown: true);
}
