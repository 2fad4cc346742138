namespace Integrations.Core.Webhooks;

/// <summary>
/// A project's receiving end for one provider: deliveries to <c>{Hub:PublicBaseUrl}/v1/webhooks/{Id}</c> are verified with
/// <see cref="Scheme"/> against the source's signing secrets (vault secrets, named by <see cref="Keys"/>).
/// </summary>
/// <param name="Id">The source id (<c>whs_…</c>), which is also the public URL's last segment.</param>
/// <param name="Name">Unique in the project.</param>
/// <param name="Scheme">One of <see cref="WebhookSchemes"/>.</param>
/// <param name="Keys">The signing secrets, newest first: each names its vault secret and when it stops being accepted.</param>
/// <param name="Enabled">A disabled source refuses every delivery with 404 (as if unknown), so a provider stops retrying into it.</param>
/// <param name="ETag">The stored row's ETag (every write is conditional on it).</param>
public sealed record WebhookSource(
    string Id,
    string OrganizationId,
    string ProjectId,
    string Name,
    string Scheme,
    string? Description,
    WebhookSourceSettings Settings,
    IReadOnlyList<WebhookSourceKey> Keys,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? ETag = null)
{
    public const string IdPrefix = "whs";
}

/// <summary>One signing secret of a source: where its value lives, never the value.</summary>
/// <param name="Id">Stable id of this key within the source (e.g. <c>k1</c>).</param>
/// <param name="SecretName">The vault secret holding the value (hub-managed: <c>webhook.{sourceId}.{Id}</c>).</param>
/// <param name="CreatedAt">When it was added.</param>
/// <param name="NotAfter">When it stops being accepted; null = until replaced.</param>
public sealed record WebhookSourceKey(string Id, string SecretName, DateTimeOffset CreatedAt, DateTimeOffset? NotAfter);
