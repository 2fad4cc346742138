using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.Tenancy;
using Integrations.Core.Vault;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// A project's outbound webhook endpoints: create, read, list, patch (enable and disable included), delete, rotate the signing
/// secret and reveal it. Rows are written conditionally on their ETag (re-read and re-applied on a conflict). Signing secrets
/// are generated here (<c>whsec_</c> + 32 random bytes) and live in the vault as hub-managed secrets
/// <c>webhook.{endpointId}.{keyId}</c>, which the secrets API neither reveals nor changes: a value is written to the vault
/// before the row that names it and removed after the row that named it is gone, so a row never names a missing secret.
/// Every change empties this instance's <see cref="WebhookEndpointCache"/> entry for the project at once. Expected failures
/// come back as <see cref="HubError"/> values; no result but <see cref="RevealAsync"/> holds a secret value.
/// </summary>
public sealed partial class WebhookEndpointService(
    IWebhookEndpointStore store, VaultService vault, WebhookEndpointCache cache, TimeProvider time, IOptions<WebhookOptions> options,
    ILogger<WebhookEndpointService> logger, IRetryStrategyCatalog? strategies = null)
{
    private const int MaxAttempts = 16;

    /// <summary>How many key ids a rotation skips past vault secrets left by an interrupted rotation (or one running at the same time).</summary>
    private const int MaxKeyIdSkips = 8;

    private IReadOnlyCollection<string> StrategyNames => strategies?.Names ?? [];

    /// <summary>The vault secret of key <paramref name="keyId"/> of endpoint <paramref name="endpointId"/>.</summary>
    public static string SecretNameFor(string endpointId, string keyId) => SecretRules.WebhookManagedPrefix + endpointId + "." + keyId;

    /// <summary>Creates an endpoint in <paramref name="project"/> (verified by the pipeline) with its first signing key, <c>k1</c>.</summary>
    public async Task<Result<WebhookEndpoint>> CreateAsync(Project project, WebhookEndpointInput input, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(input);
        var now = time.GetUtcNow();
        var template = new WebhookEndpoint(Ids.New(WebhookEndpoint.IdPrefix), project.OrganizationId, project.Id, new Uri("https://placeholder.invalid/"), null, [], true,
            null, null, WebhookEndpoint.DefaultTimeout, EndpointRetryPolicy.Default, new Dictionary<string, string>(), [], now, now);
        var applied = WebhookEndpointRules.Apply(input, template, StrategyNames);
        if (!applied.IsSuccess)
        {
            return applied.Error!;
        }

        // As the vault's and the sources' quotas: creates racing each other may each see room for one more; the limit stops exhaustion, it is not exact.
        var max = options.Value.MaxEndpointsPerProject;
        if ((await store.ListAsync(project.OrganizationId, project.Id, new PageRequest(1, 1), cancellationToken).ConfigureAwait(false)).Total >= max)
        {
            return HubError.Conflict(WebhookEndpointErrors.QuotaExceeded, $"The project has {max} webhook endpoints (Webhooks:MaxEndpointsPerProject): delete one first.");
        }

        var written = await WriteSecretAsync(project, applied.Value!, actor, cancellationToken).ConfigureAwait(false);
        if (!written.IsSuccess)
        {
            return written.Error!;
        }

        var endpoint = applied.Value! with { Keys = [written.Value!] };
        if (await store.TryCreateAsync(endpoint, cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            // A fresh random id cannot collide: only a storage fault gets here.
            await RemoveSecretsAsync(endpoint, endpoint.Keys, actor, cancellationToken).ConfigureAwait(false);
            return Contention();
        }

        cache.Invalidate(project.OrganizationId, project.Id);
        Log.Created(logger, endpoint.Id, project.Id);
        return await LoadAsync(project, endpoint.Id, cancellationToken).ConfigureAwait(false) is { } stored ? stored : endpoint;
    }

    /// <summary>The endpoint; an id of another project or tenant is not found.</summary>
    public async Task<Result<WebhookEndpoint>> GetAsync(Project project, string? endpointId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        return await LoadAsync(project, endpointId, cancellationToken).ConfigureAwait(false) is { } endpoint ? endpoint : NotFound();
    }

    /// <summary>A page of the project's endpoints, in id order.</summary>
    public async Task<Result<PagedList<WebhookEndpoint>>> ListAsync(Project project, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        return await store.ListAsync(project.OrganizationId, project.Id, page, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Changes any editable field: <paramref name="patch"/> receives the current endpoint as an input and returns the new one
    /// (or a refusal), which is checked whole, like a create. <c>enabled</c> true clears a reason the hub disabled it for.
    /// Re-applied to a fresh read when another edit won the race.
    /// </summary>
    public async Task<Result<WebhookEndpoint>> PatchAsync(
        Project project, string? endpointId, Func<WebhookEndpointInput, Result<WebhookEndpointInput>> patch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(patch);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await LoadAsync(project, endpointId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return NotFound();
            }

            var input = patch(WebhookEndpointInput.From(current));
            if (!input.IsSuccess)
            {
                return input.Error!;
            }

            var applied = WebhookEndpointRules.Apply(input.Value!, current with { UpdatedAt = time.GetUtcNow() }, StrategyNames);
            if (!applied.IsSuccess)
            {
                return applied.Error!;
            }

            switch (await store.TryUpdateAsync(applied.Value!, cancellationToken).ConfigureAwait(false))
            {
                case WriteOutcome.Written:
                    cache.Invalidate(project.OrganizationId, project.Id);
                    return await LoadAsync(project, endpointId, cancellationToken).ConfigureAwait(false) is { } written ? written : NotFound();
                case WriteOutcome.NotFound:
                    cache.Invalidate(project.OrganizationId, project.Id);
                    return NotFound();
                default:
                    continue;
            }
        }

        return Contention();
    }

    /// <summary>Deletes the endpoint, then its signing secrets from the vault (those its row named and any an interrupted rotation left).</summary>
    public async Task<Result<WebhookEndpoint>> DeleteAsync(Project project, string? endpointId, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await LoadAsync(project, endpointId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return NotFound();
            }

            switch (await store.TryDeleteAsync(current, cancellationToken).ConfigureAwait(false))
            {
                case WriteOutcome.Written:
                    cache.Invalidate(project.OrganizationId, project.Id);
                    await RemoveSecretsAsync(current, current.Keys, actor, cancellationToken).ConfigureAwait(false);
                    await RemoveOrphansAsync(project, current, actor, cancellationToken).ConfigureAwait(false);
                    Log.Deleted(logger, current.Id);
                    return current;
                case WriteOutcome.NotFound:
                    cache.Invalidate(project.OrganizationId, project.Id);
                    return NotFound();
                default:
                    continue;
            }
        }

        return Contention();
    }

    /// <summary>
    /// A new signing key <c>k{n+1}</c>: it signs from now on, the key that signed until now keeps signing for
    /// <c>Webhooks:SecretRotationOverlap</c> (both sign meanwhile), and keys past their end are dropped with their vault secrets.
    /// </summary>
    public async Task<Result<WebhookEndpoint>> RotateAsync(Project project, string? endpointId, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        EndpointSigningKey? added = null;
        WebhookEndpoint? lastRead = null;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await LoadAsync(project, endpointId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return await AbandonAsync(lastRead, added, actor, NotFound(), cancellationToken).ConfigureAwait(false);
            }

            lastRead = current;
            if (added is null)
            {
                var written = await WriteSecretAsync(project, current, actor, cancellationToken).ConfigureAwait(false);
                if (!written.IsSuccess)
                {
                    return written.Error!;
                }

                added = written.Value!;
            }

            var now = time.GetUtcNow();
            var roll = WebhookEndpointRules.Roll(current.Keys, added with { CreatedAt = now }, now, options.Value.SecretRotationOverlap);
            if (!roll.IsSuccess)
            {
                return await AbandonAsync(current, added, actor, roll.Error!, cancellationToken).ConfigureAwait(false);
            }

            switch (await store.TryUpdateAsync(current with { Keys = roll.Value.Kept, UpdatedAt = now }, cancellationToken).ConfigureAwait(false))
            {
                case WriteOutcome.Written:
                    cache.Invalidate(project.OrganizationId, project.Id);
                    await RemoveSecretsAsync(current, roll.Value.Dropped, actor, cancellationToken).ConfigureAwait(false);
                    Log.Rotated(logger, current.Id, added.Id);
                    return await LoadAsync(project, endpointId, cancellationToken).ConfigureAwait(false) is { } stored ? stored : NotFound();
                case WriteOutcome.NotFound:
                    cache.Invalidate(project.OrganizationId, project.Id);
                    return await AbandonAsync(current, added, actor, NotFound(), cancellationToken).ConfigureAwait(false);
                default:
                    continue;
            }
        }

        return await AbandonAsync(lastRead, added, actor, Contention(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The values of the keys that sign now, newest first, each with the time it stops signing. The caller audits the reveal.</summary>
    public async Task<Result<IReadOnlyList<RevealedEndpointKey>>> RevealAsync(Project project, string? endpointId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        var endpoint = await LoadAsync(project, endpointId, cancellationToken).ConfigureAwait(false);
        if (endpoint is null)
        {
            return NotFound();
        }

        var revealed = new List<RevealedEndpointKey>();
        foreach (var key in endpoint.ActiveKeysAt(time.GetUtcNow()))
        {
            var value = await vault.RevealAsync(new SecretLocation(endpoint.OrganizationId, endpoint.ProjectId, key.SecretName), null, cancellationToken).ConfigureAwait(false);
            if (value.IsSuccess)
            {
                revealed.Add(new RevealedEndpointKey(key.Id, value.Value!.Value, key.NotAfter));
            }
            else
            {
                Log.SecretUnreadable(logger, endpoint.Id, key.Id, value.Error!.Code);
            }
        }

        return revealed;
    }

    /// <summary>Generates a secret and stores it under the next free key id of <paramref name="endpoint"/>.</summary>
    private async Task<Result<EndpointSigningKey>> WriteSecretAsync(Project project, WebhookEndpoint endpoint, string actor, CancellationToken cancellationToken)
    {
        var keyId = WebhookEndpointRules.NextKeyId(endpoint.Keys);
        for (var skip = 0; skip <= MaxKeyIdSkips; skip++)
        {
            var name = SecretNameFor(endpoint.Id, keyId);
            var created = await vault.CreateAsync(project, name,
                new SecretInput(WebhookEndpointRules.NewSecret(), $"Signing secret of webhook endpoint {endpoint.Id} (managed by the hub).", null, SecretAuthTypes.WebhookSecret),
                actor, cancellationToken).ConfigureAwait(false);
            if (created.IsSuccess)
            {
                return new EndpointSigningKey(keyId, name, time.GetUtcNow(), null);
            }

            if (created.Error!.Code != VaultErrors.SecretExists)
            {
                // The vault's own problems (its quota) say what to do.
                return created.Error;
            }

            // Left by a rotation that stopped between the vault and the row, or taken by one running now: never reuse it.
            keyId = WebhookEndpointRules.NextKeyId([new EndpointSigningKey(keyId, name, default, null)]);
        }

        return Contention();
    }

    private async Task<HubError> AbandonAsync(WebhookEndpoint? endpoint, EndpointSigningKey? added, string actor, HubError error, CancellationToken cancellationToken)
    {
        if (endpoint is not null && added is not null)
        {
            await RemoveSecretsAsync(endpoint, [added], actor, cancellationToken).ConfigureAwait(false);
        }

        return error;
    }

    /// <summary>Deletes and purges the vault secrets of <paramref name="keys"/>; a failure is logged (the secret is then an orphan no row names).</summary>
    private async Task RemoveSecretsAsync(WebhookEndpoint endpoint, IEnumerable<EndpointSigningKey> keys, string actor, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            await RemoveSecretAsync(endpoint, key.SecretName, actor, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RemoveSecretAsync(WebhookEndpoint endpoint, string secretName, string actor, CancellationToken cancellationToken)
    {
        var location = new SecretLocation(endpoint.OrganizationId, endpoint.ProjectId, secretName);
        var deleted = await vault.DeleteAsync(location, actor, cancellationToken).ConfigureAwait(false);
        var purged = deleted.IsSuccess || deleted.Error!.Kind == ErrorKind.NotFound
            ? await vault.PurgeAsync(location, actor, cancellationToken).ConfigureAwait(false)
            : deleted;
        if (!purged.IsSuccess && purged.Error!.Kind != ErrorKind.NotFound)
        {
            Log.SecretNotRemoved(logger, endpoint.Id, secretName, purged.Error.Code);
        }
    }

    /// <summary>Vault secrets of a deleted endpoint that its row did not name (left by an interrupted rotation).</summary>
    private async Task RemoveOrphansAsync(Project project, WebhookEndpoint endpoint, string actor, CancellationToken cancellationToken)
    {
        var prefix = SecretNameFor(endpoint.Id, "");
        foreach (var deleted in new[] { false, true })
        {
            var listed = await vault.ListAsync(project, new SecretQuery(prefix, null, deleted, new PageRequest(1, WebhookEndpointRules.MaxKeys + MaxKeyIdSkips + 1)),
                cancellationToken).ConfigureAwait(false);
            if (!listed.IsSuccess)
            {
                continue;
            }

            foreach (var secret in listed.Value!.Items)
            {
                await RemoveSecretAsync(endpoint, secret.Location.Name, actor, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<WebhookEndpoint?> LoadAsync(Project project, string? endpointId, CancellationToken cancellationToken) =>
        Ids.IsValid(WebhookEndpoint.IdPrefix, endpointId) && Ids.IsValid("org", project.OrganizationId) && Ids.IsValid("prj", project.Id)
            ? await store.GetAsync(project.OrganizationId, project.Id, endpointId!, cancellationToken).ConfigureAwait(false)
            : null;

    private static HubError NotFound() => HubError.NotFound("webhook endpoint");

    private static HubError Contention() =>
        HubError.Conflict(WebhookEndpointErrors.Contention, "The webhook endpoint is being changed by many callers at once; retry.");

    // Event ids 9300-9349 are outbound webhook endpoints'.
    private static partial class Log
    {
        [LoggerMessage(EventId = 9300, Level = LogLevel.Information, Message = "Webhook endpoint {EndpointId} created in project {ProjectId}.")]
        public static partial void Created(ILogger logger, string endpointId, string projectId);

        [LoggerMessage(EventId = 9301, Level = LogLevel.Information, Message = "Webhook endpoint {EndpointId} deleted.")]
        public static partial void Deleted(ILogger logger, string endpointId);

        [LoggerMessage(EventId = 9302, Level = LogLevel.Information, Message = "Webhook endpoint {EndpointId} rotated its signing secret: {KeyId} signs from now on.")]
        public static partial void Rotated(ILogger logger, string endpointId, string keyId);

        [LoggerMessage(EventId = 9303, Level = LogLevel.Warning, Message = "The vault secret {SecretName} of webhook endpoint {EndpointId} could not be removed ({Code}).")]
        public static partial void SecretNotRemoved(ILogger logger, string endpointId, string secretName, string code);

        [LoggerMessage(EventId = 9304, Level = LogLevel.Error, Message = "The signing secret of key {KeyId} of webhook endpoint {EndpointId} could not be read ({Code}).")]
        public static partial void SecretUnreadable(ILogger logger, string endpointId, string keyId, string code);
    }
}
