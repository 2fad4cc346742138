using Integrations.Core.Common;
using Integrations.Core.Tenancy;
using Integrations.Core.Vault;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Webhooks;

/// <summary>
/// A project's webhook sources: create, read, list, patch, delete, add a signing secret, and store Asana's handshake
/// secret. Source rows are written conditionally on their ETag (re-read and re-applied on a conflict). Secret values live
/// in the vault as hub-managed secrets <c>webhook.{sourceId}.{keyId}</c> (the secrets API neither reveals nor changes
/// them): a value is written to the vault before the row that names it, and removed after the row that named it is gone,
/// so a row never names a secret that is not there. Every change is invalidated at once in this instance's
/// <see cref="WebhookSourceCache"/>. Expected failures come back as <see cref="HubError"/> values.
/// </summary>
public sealed partial class WebhookSourceService(
    IWebhookSourceStore store, VaultService vault, WebhookSchemeRegistry schemes, WebhookSourceCache cache, TimeProvider time,
    IOptions<WebhookSourceOptions> options, ILogger<WebhookSourceService> logger)
{
    /// <summary>Key ids are <c>whk_…</c>.</summary>
    public const string KeyIdPrefix = "whk";

    /// <summary>Every signing secret's vault name starts with this (<see cref="SecretRules.WebhookManagedPrefix"/>).</summary>
    public const string SecretNamePrefix = SecretRules.WebhookManagedPrefix;

    private const int MaxAttempts = 16;

    /// <summary>The vault secret of key <paramref name="keyId"/> of source <paramref name="sourceId"/>.</summary>
    public static string SecretNameFor(string sourceId, string keyId) => SecretNamePrefix + sourceId + "." + keyId;

    /// <summary>
    /// Creates a source in <paramref name="project"/> (verified by the pipeline) with its first secret, if any (every
    /// scheme needs one but <c>asana</c>, whose handshake sets it). A generated secret is in the result, once.
    /// </summary>
    public async Task<Result<WebhookSourceWithSecret>> CreateAsync(Project project, WebhookSourceInput input, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(input);
        var now = time.GetUtcNow();
        var template = new WebhookSource(Ids.New(WebhookSource.IdPrefix), project.OrganizationId, project.Id, "", "", null, WebhookSourceSettings.Default, [], true, now, now);
        var applied = WebhookSourceRules.Apply(input, template, schemes.Names);
        if (!applied.IsSuccess)
        {
            return applied.Error;
        }

        var secret = WebhookSourceRules.ChooseSecret(applied.Value.Scheme, input.Secret, input.GenerateSecret);
        if (!secret.IsSuccess)
        {
            return secret.Error;
        }

        // As the vault's quota: creates racing each other may each see room for one more; the limit stops exhaustion, it is not exact.
        var max = options.Value.MaxSourcesPerProject;
        if ((await store.ListAsync(project.OrganizationId, project.Id, new PageRequest(1, 1), cancellationToken).ConfigureAwait(false)).Total >= max)
        {
            return HubError.Conflict(WebhookErrors.SourceQuotaExceeded, $"The project has {max} webhook sources (Webhooks:MaxSourcesPerProject): delete one first.");
        }

        var source = applied.Value;
        WebhookSourceKey? key = null;
        if (secret.Value.Value is { } value)
        {
            var written = await WriteSecretAsync(project, source, value, actor, cancellationToken).ConfigureAwait(false);
            if (!written.IsSuccess)
            {
                return written.Error;
            }

            key = written.Value;
            source = source with { Keys = [key] };
        }

        if (await store.TryCreateAsync(source, cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            await RemoveSecretsAsync(source, source.Keys, actor, cancellationToken).ConfigureAwait(false);
            return NameTaken(source.Name);
        }

        cache.Invalidate(source);
        var stored = await store.GetAsync(project.OrganizationId, project.Id, source.Id, cancellationToken).ConfigureAwait(false) ?? source;
        return new WebhookSourceWithSecret(stored, secret.Value.Generated ? secret.Value.Value : null);
    }

    /// <summary>The source; an id of another project or tenant is not found.</summary>
    public async Task<Result<WebhookSource>> GetAsync(Project project, string? sourceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        return await LoadAsync(project, sourceId, cancellationToken).ConfigureAwait(false) is { } source ? source : HubError.NotFound("webhook source");
    }

    /// <summary>A page of the project's sources, in id order.</summary>
    public async Task<Result<PagedList<WebhookSource>>> ListAsync(Project project, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        return await store.ListAsync(project.OrganizationId, project.Id, page, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Changes name, description, enabled and settings: <paramref name="patch"/> receives the current source as an input and
    /// returns the new one (or a refusal), which is checked whole, like a create. The scheme cannot change, nor can secrets
    /// (<see cref="AddSecretAsync"/>). Re-applied to a fresh read when another edit won the race.
    /// </summary>
    public async Task<Result<WebhookSource>> PatchAsync(
        Project project, string? sourceId, Func<WebhookSourceInput, Result<WebhookSourceInput>> patch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(patch);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await LoadAsync(project, sourceId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return HubError.NotFound("webhook source");
            }

            var input = patch(WebhookSourceInput.From(current));
            if (!input.IsSuccess)
            {
                return input.Error;
            }

            if (!string.Equals(input.Value.Scheme, current.Scheme, StringComparison.Ordinal))
            {
                return HubError.Invalid(WebhookErrors.SchemeImmutable, "A source's scheme cannot change: create a new source instead.", "scheme");
            }

            if (input.Value.Secret is not null || input.Value.GenerateSecret is not null)
            {
                return HubError.Invalid(WebhookErrors.InvalidSecret, "Secrets are added with POST …/webhook-sources/{id}/secrets, not with PATCH.", "secret");
            }

            // The scheme is the stored one: it stays valid even if the scheme were no longer registered.
            var applied = WebhookSourceRules.Apply(input.Value, current with { UpdatedAt = time.GetUtcNow() }, [.. schemes.Names, current.Scheme]);
            if (!applied.IsSuccess)
            {
                return applied.Error;
            }

            switch (await store.TryUpdateAsync(applied.Value, cancellationToken).ConfigureAwait(false))
            {
                case WriteOutcome.Written:
                    cache.Invalidate(current);
                    return await LoadAsync(project, sourceId, cancellationToken).ConfigureAwait(false) is { } written ? written : HubError.NotFound("webhook source");
                case WriteOutcome.NotFound:
                    cache.Invalidate(current);
                    return HubError.NotFound("webhook source");
                default:
                    // Either the source changed since it was read (apply the patch again), or the new name is taken.
                    var reread = await LoadAsync(project, sourceId, cancellationToken).ConfigureAwait(false);
                    if (reread is not null && string.Equals(reread.ETag, current.ETag, StringComparison.Ordinal))
                    {
                        return NameTaken(applied.Value.Name);
                    }

                    continue;
            }
        }

        return Contention();
    }

    /// <summary>Deletes the source, then its secrets from the vault. Deliveries to its URL are refused from then on (404).</summary>
    public async Task<Result<WebhookSource>> DeleteAsync(Project project, string? sourceId, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await LoadAsync(project, sourceId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return HubError.NotFound("webhook source");
            }

            switch (await store.TryDeleteAsync(current, cancellationToken).ConfigureAwait(false))
            {
                case WriteOutcome.Written:
                    cache.Invalidate(current);
                    await RemoveSecretsAsync(current, current.Keys, actor, cancellationToken).ConfigureAwait(false);
                    return current;
                case WriteOutcome.NotFound:
                    cache.Invalidate(current);
                    return HubError.NotFound("webhook source");
                default:
                    continue;
            }
        }

        return Contention();
    }

    /// <summary>
    /// Adds a signing secret (sent, or generated for <c>standard</c> and <c>hmac</c>): every key still accepted stops being
    /// accepted after <see cref="WebhookSecretInput.ExpirePreviousInSeconds"/> (default 24 h; 0 = at once), keys past their
    /// end are dropped and their vault secrets deleted, and at most <see cref="WebhookSourceRules.MaxKeys"/> remain.
    /// </summary>
    public async Task<Result<WebhookSourceWithSecret>> AddSecretAsync(
        Project project, string? sourceId, WebhookSecretInput input, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(input);
        var overlap = WebhookSourceRules.Overlap(input.ExpirePreviousInSeconds);
        if (!overlap.IsSuccess)
        {
            return overlap.Error;
        }

        WebhookSourceKey? added = null;
        string? generated = null;
        WebhookSource? lastRead = null;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await LoadAsync(project, sourceId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return await AbandonAsync(lastRead, added, actor, HubError.NotFound("webhook source"), cancellationToken).ConfigureAwait(false);
            }

            lastRead = current;
            if (added is null)
            {
                Result<(string? Value, bool Generated)> secret = input.Secret is null && input.GenerateSecret != true && current.Scheme == WebhookSchemes.Asana
                    ? HubError.Invalid(WebhookErrors.SecretRequired, "Send the new secret in secret.", "secret")
                    : WebhookSourceRules.ChooseSecret(current.Scheme, input.Secret, input.GenerateSecret);
                if (!secret.IsSuccess)
                {
                    return secret.Error;
                }

                var written = await WriteSecretAsync(project, current, secret.Value.Value!, actor, cancellationToken).ConfigureAwait(false);
                if (!written.IsSuccess)
                {
                    return written.Error;
                }

                added = written.Value;
                generated = secret.Value.Generated ? secret.Value.Value : null;
            }

            var now = time.GetUtcNow();
            var roll = WebhookSourceRules.Roll(current.Keys, added with { CreatedAt = now }, now, overlap.Value);
            if (!roll.IsSuccess)
            {
                return await AbandonAsync(current, added, actor, roll.Error, cancellationToken).ConfigureAwait(false);
            }

            switch (await store.TryUpdateAsync(current with { Keys = roll.Value.Kept, UpdatedAt = now }, cancellationToken).ConfigureAwait(false))
            {
                case WriteOutcome.Written:
                    cache.Invalidate(current);
                    await RemoveSecretsAsync(current, roll.Value.Dropped, actor, cancellationToken).ConfigureAwait(false);
                    var stored = await LoadAsync(project, sourceId, cancellationToken).ConfigureAwait(false);
                    return stored is null ? HubError.NotFound("webhook source") : new WebhookSourceWithSecret(stored, generated);
                case WriteOutcome.NotFound:
                    cache.Invalidate(current);
                    return await AbandonAsync(current, added, actor, HubError.NotFound("webhook source"), cancellationToken).ConfigureAwait(false);
                default:
                    continue;
            }
        }

        return await AbandonAsync(lastRead, added, actor, Contention(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores the secret an <c>asana</c> source received in its handshake (<c>X-Hook-Secret</c>) as its first key. Refused
    /// when the source already has one: a later handshake must not replace the secret (anyone can send one).
    /// </summary>
    public async Task<Result<WebhookSource>> StoreHandshakeSecretAsync(WebhookSource source, string secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Scheme != WebhookSchemes.Asana)
        {
            return HubError.Invalid(WebhookErrors.InvalidSecret, "Only an asana source takes its secret from a handshake.", "secret");
        }

        if (WebhookSourceRules.ValidateSecret(source.Scheme, secret) is { } invalid)
        {
            return invalid;
        }

        // The vault takes the project as the pipeline verified it; here the source row (MAC'd, found through its index) vouches for it.
        var project = new Project(source.ProjectId, source.OrganizationId, "", "", source.CreatedAt);
        WebhookSourceKey? added = null;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await store.GetAsync(source.OrganizationId, source.ProjectId, source.Id, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return await AbandonAsync(source, added, SystemActor, HubError.NotFound("webhook source"), cancellationToken).ConfigureAwait(false);
            }

            if (current.Keys.Count > 0)
            {
                return await AbandonAsync(current, added, SystemActor,
                    HubError.Conflict(WebhookErrors.SecretExists, "The source already has a secret: a handshake does not replace it (add one with POST …/secrets)."),
                    cancellationToken).ConfigureAwait(false);
            }

            if (added is null)
            {
                var written = await WriteSecretAsync(project, current, secret, SystemActor, cancellationToken).ConfigureAwait(false);
                if (!written.IsSuccess)
                {
                    return written.Error;
                }

                added = written.Value;
            }

            var now = time.GetUtcNow();
            switch (await store.TryUpdateAsync(current with { Keys = [added with { CreatedAt = now }], UpdatedAt = now }, cancellationToken).ConfigureAwait(false))
            {
                case WriteOutcome.Written:
                    cache.Invalidate(current);
                    Log.HandshakeSecretStored(logger, current.Id, added.Id);
                    return await store.GetAsync(source.OrganizationId, source.ProjectId, source.Id, cancellationToken).ConfigureAwait(false) is { } stored
                        ? stored
                        : HubError.NotFound("webhook source");
                case WriteOutcome.NotFound:
                    cache.Invalidate(current);
                    return await AbandonAsync(current, added, SystemActor, HubError.NotFound("webhook source"), cancellationToken).ConfigureAwait(false);
                default:
                    continue;
            }
        }

        return await AbandonAsync(source, added, SystemActor, Contention(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Who stores a handshake's secret in the vault's records.</summary>
    private const string SystemActor = "system:webhook-handshake";

    private async Task<Result<WebhookSourceKey>> WriteSecretAsync(Project project, WebhookSource source, string value, string actor, CancellationToken cancellationToken)
    {
        var keyId = Ids.New(KeyIdPrefix);
        var name = SecretNameFor(source.Id, keyId);
        var created = await vault.CreateAsync(project, name,
            new SecretInput(value, $"Signing secret of webhook source {source.Id} (managed by the hub).", null, SecretAuthTypes.WebhookSecret), actor, cancellationToken)
            .ConfigureAwait(false);
        if (!created.IsSuccess)
        {
            // The vault's own problems (its quota, a value too large) say what to do; a name collision cannot happen (random key id).
            return created.Error;
        }

        return new WebhookSourceKey(keyId, name, time.GetUtcNow(), null);
    }

    private async Task<HubError> AbandonAsync(WebhookSource? source, WebhookSourceKey? added, string actor, HubError error, CancellationToken cancellationToken)
    {
        if (source is not null && added is not null)
        {
            await RemoveSecretsAsync(source, [added], actor, cancellationToken).ConfigureAwait(false);
        }

        return error;
    }

    /// <summary>Deletes and purges the vault secrets of <paramref name="keys"/>; a failure is logged (the secret is then an orphan no row names).</summary>
    private async Task RemoveSecretsAsync(WebhookSource source, IEnumerable<WebhookSourceKey> keys, string actor, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            var location = new SecretLocation(source.OrganizationId, source.ProjectId, key.SecretName);
            var deleted = await vault.DeleteAsync(location, actor, cancellationToken).ConfigureAwait(false);
            var purged = deleted.IsSuccess || deleted.Error.Kind == ErrorKind.NotFound
                ? await vault.PurgeAsync(location, actor, cancellationToken).ConfigureAwait(false)
                : deleted;
            if (!purged.IsSuccess && purged.Error.Kind != ErrorKind.NotFound)
            {
                Log.SecretNotRemoved(logger, source.Id, key.Id, purged.Error.Code);
            }
        }
    }

    private async Task<WebhookSource?> LoadAsync(Project project, string? sourceId, CancellationToken cancellationToken) =>
        Ids.IsValid(WebhookSource.IdPrefix, sourceId) && Ids.IsValid("org", project.OrganizationId) && Ids.IsValid("prj", project.Id)
            ? await store.GetAsync(project.OrganizationId, project.Id, sourceId!, cancellationToken).ConfigureAwait(false)
            : null;

    private static HubError NameTaken(string name) =>
        HubError.Conflict(WebhookErrors.SourceExists, $"The project already has a webhook source named '{name}'.");

    private static HubError Contention() =>
        HubError.Conflict(WebhookErrors.SourceContention, "The webhook source is being changed by many callers at once; retry.");

    // Event ids 9100-9149 are webhook sources'.
    private static partial class Log
    {
        [LoggerMessage(EventId = 9100, Level = LogLevel.Warning, Message = "The vault secret of key {KeyId} of webhook source {SourceId} could not be removed ({Code}).")]
        public static partial void SecretNotRemoved(ILogger logger, string sourceId, string keyId, string code);

        [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Webhook source {SourceId} stored its handshake secret as key {KeyId}.")]
        public static partial void HandshakeSecretStored(ILogger logger, string sourceId, string keyId);
    }
}
