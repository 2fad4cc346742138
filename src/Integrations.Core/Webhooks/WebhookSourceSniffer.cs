using Integrations.Core.Common;

namespace Integrations.Core.Webhooks;

/// <summary>Why the project-level route could not pick a source.</summary>
public enum WebhookSniffFailure
{
    /// <summary>No known scheme's signature header is present, or the project has no enabled source of the scheme (or no such project).</summary>
    Unknown,

    /// <summary>Several schemes' headers are present, or the project has several enabled sources of the scheme.</summary>
    Ambiguous,
}

/// <summary>The source the headers point to, or why there is none (with a reason a provider's operator can act on).</summary>
public sealed record WebhookSniffResult(WebhookSource? Source, WebhookSniffFailure? Failure, string? Reason)
{
    public static WebhookSniffResult Found(WebhookSource source) => new(source, null, null);

    public static WebhookSniffResult Unknown(string reason) => new(null, WebhookSniffFailure.Unknown, reason);

    public static WebhookSniffResult Ambiguous(string reason) => new(null, WebhookSniffFailure.Ambiguous, reason);
}

/// <summary>
/// Picks the source for <c>POST /v1/projects/{projectId}/webhooks</c> from the request's headers, as the seed's
/// <c>pluginWebhookMatcher</c> does: the schemes whose signature headers are present (<see cref="WebhookSchemeRegistry.Recognize"/>)
/// must be exactly one, and the project must have exactly one enabled source of it. Nothing is verified here: the ingress
/// then resolves the source (<see cref="WebhookSourceResolver"/>) and verifies the delivery with its keys. A project's
/// sources are cached like a source (<see cref="WebhookSourceCache"/>).
/// </summary>
public sealed class WebhookSourceSniffer(IWebhookSourceStore store, WebhookSchemeRegistry schemes, WebhookSourceCache cache)
{
    public async Task<WebhookSniffResult> SniffAsync(string projectId, WebhookHeaders headers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var recognized = schemes.Recognize(headers);
        if (recognized.Count != 1)
        {
            return Pick([], recognized);
        }

        if (!Ids.IsValid("prj", projectId))
        {
            return Pick([], recognized);
        }

        var sources = await cache.Projects.GetOrLoadAsync(projectId, (id, ct) => store.ListByProjectAsync(id, ct), static _ => true, cancellationToken)
            .ConfigureAwait(false);
        return Pick(sources, recognized);
    }

    /// <summary>The choice among <paramref name="sources"/> (a project's) for the <paramref name="recognized"/> scheme names.</summary>
    public static WebhookSniffResult Pick(IReadOnlyList<WebhookSource> sources, IReadOnlyList<string> recognized)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(recognized);
        if (recognized.Count == 0)
        {
            return WebhookSniffResult.Unknown("No signature header of a known provider is present: send the delivery to the source's own URL (/v1/webhooks/{sourceId}).");
        }

        if (recognized.Count > 1)
        {
            return WebhookSniffResult.Ambiguous(
                $"The headers match several schemes ({string.Join(", ", recognized)}): send the delivery to the source's own URL (/v1/webhooks/{{sourceId}}).");
        }

        var scheme = recognized[0];
        var matching = sources.Where(s => s.Enabled && string.Equals(s.Scheme, scheme, StringComparison.Ordinal)).Take(2).ToList();
        return matching.Count switch
        {
            0 => WebhookSniffResult.Unknown($"The project has no enabled webhook source of the {scheme} scheme."),
            1 => WebhookSniffResult.Found(matching[0]),
            _ => WebhookSniffResult.Ambiguous(
                $"The project has several enabled webhook sources of the {scheme} scheme: send the delivery to the source's own URL (/v1/webhooks/{{sourceId}})."),
        };
    }
}
