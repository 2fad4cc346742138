using System.Security.Cryptography;
using System.Text;
using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Integrations.Core.Telemetry;
using Integrations.Core.Tenancy;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Vault;

/// <summary>
/// The vault: secrets by name within a project, every value sealed with its own data key, every change a new
/// version. Expected failures come back as <see cref="HubError"/> values.
/// </summary>
public sealed class VaultService(ISecretStore store, EnvelopeCipher cipher, TimeProvider time, IRandomSource random, IOptions<VaultOptions> options,
    SecretChanges? changes = null)
{
    private const int MaxUpdateAttempts = 32;

    /// <summary>Creates version 1 of a secret in <paramref name="project"/> — a project the caller has already found in its organization (the request pipeline verifies it once).</summary>
    public Task<Result<SecretRecord>> CreateAsync(Project project, string? name, SecretInput input, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        return TracedAsync("create", new SecretLocation(project.OrganizationId, project.Id, name ?? string.Empty), () => CreateCoreAsync(project, name, input, actor, cancellationToken));
    }

    private async Task<Result<SecretRecord>> CreateCoreAsync(Project project, string? name, SecretInput input, string actor, CancellationToken cancellationToken)
    {
        if ((SecretRules.ValidateName(name) ?? ValidateInput(input)) is { } error)
        {
            return error;
        }

        // The quota counts keys only, and stops at the limit. Creates racing each other can each see room for one more,
        // so a project can end up a few secrets over (as many as creates run at once): accepted, as a shared counter
        // row would serialise every create of a project; the limit exists to stop exhaustion, not to be exact.
        var max = options.Value.MaxSecretsPerProject;
        if (await store.CountAsync(project.OrganizationId, project.Id, max, cancellationToken).ConfigureAwait(false) >= max)
        {
            return HubError.Conflict(VaultErrors.SecretQuotaExceeded,
                $"The project holds {max} secrets (Vault:MaxSecretsPerProject), deleted ones included until they are purged: purge or delete some first.");
        }

        var location = new SecretLocation(project.OrganizationId, project.Id, name!);
        var now = time.GetUtcNow();
        var secretId = Ids.New("sec");
        var sealedValue = await SealAsync(input.Value!, SecretRecord.ContextFor(location, secretId, 1), cancellationToken).ConfigureAwait(false);
        var secret = new SecretRecord(location, secretId, 1, input.Description, input.Tags ?? [], actor, now, actor, now, null, sealedValue)
        {
            AuthType = input.AuthType ?? SecretAuthTypes.Other,
            Metadata = input.Metadata ?? new Dictionary<string, string>(StringComparer.Ordinal),
            ExpiresAt = input.ExpiresAt,
            RotateEvery = input.RotateEvery,
        };
        var first = new SecretVersionRecord(location, 1, sealedValue, actor, now);
        var created = await store.TryCreateAsync(secret, first, cancellationToken).ConfigureAwait(false);
        changes?.Changed(location);
        return created == WriteOutcome.Written
            ? secret
            : HubError.Conflict(VaultErrors.SecretExists, $"The project already has a secret named '{name}' (a deleted one keeps its name until it is purged).");
    }

    /// <summary>The secret's metadata; deleted secrets are not found.</summary>
    public async Task<Result<SecretRecord>> GetAsync(SecretLocation location, CancellationToken cancellationToken = default)
    {
        var secret = await LoadAsync(location, includeValue: false, cancellationToken).ConfigureAwait(false);
        return secret is { DeletedAt: null } ? secret : HubError.NotFound("secret");
    }

    /// <summary>
    /// Where the secret with id <paramref name="secretId"/> lives in <paramref name="project"/> (verified by the
    /// pipeline), with the id set so that every later step checks it. Another project's or tenant's id is not found.
    /// </summary>
    public async Task<Result<SecretLocation>> FindByIdAsync(Project project, string? secretId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (!Ids.IsValid("sec", secretId))
        {
            return HubError.NotFound("secret");
        }

        var found = await store.FindByIdAsync(project.OrganizationId, project.Id, secretId!, cancellationToken).ConfigureAwait(false);
        return found is { } location ? location with { SecretId = secretId } : HubError.NotFound("secret");
    }

    /// <summary>Opens the latest value, or version <paramref name="version"/>.</summary>
    public Task<Result<RevealedSecret>> RevealAsync(SecretLocation location, int? version, CancellationToken cancellationToken = default) =>
        TracedAsync("reveal", location, () => RevealCoreAsync(location, version, cancellationToken));

    private async Task<Result<RevealedSecret>> RevealCoreAsync(SecretLocation location, int? version, CancellationToken cancellationToken)
    {
        if (version is < 1)
        {
            return HubError.Invalid(VaultErrors.InvalidVersion, "version must be 1 or more.", "version");
        }

        var secret = await LoadAsync(location, includeValue: version is null, cancellationToken).ConfigureAwait(false);
        if (secret is not { DeletedAt: null })
        {
            return HubError.NotFound("secret");
        }

        var number = version ?? secret.CurrentVersion;
        SealedSecret? sealedValue = secret.CurrentValue;
        if (version is not null)
        {
            sealedValue = version > secret.CurrentVersion ? null : (await store.GetVersionAsync(location, number, cancellationToken).ConfigureAwait(false))?.Value;
        }

        if (sealedValue is null)
        {
            return HubError.NotFound("secret version");
        }

        var plaintext = await cipher.OpenAsync(sealedValue, secret.ContextFor(number), cancellationToken).ConfigureAwait(false);
        try
        {
            return new RevealedSecret(location.Name, number, Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>
    /// Writes a new version. Concurrent updates become ordered versions; with <paramref name="expectedVersion"/>
    /// (HTTP If-Match) an update that is no longer based on the latest version fails with PreconditionFailed.
    /// </summary>
    public Task<Result<SecretRecord>> UpdateAsync(SecretLocation location, SecretInput input, int? expectedVersion, string actor, CancellationToken cancellationToken = default) =>
        TracedAsync("update", location, () => UpdateCoreAsync(location, input, expectedVersion, actor, cancellationToken));

    private async Task<Result<SecretRecord>> UpdateCoreAsync(SecretLocation location, SecretInput input, int? expectedVersion, string actor, CancellationToken cancellationToken)
    {
        if (ValidateInput(input) is { } error)
        {
            return error;
        }

        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var current = await LoadAsync(location, includeValue: false, cancellationToken).ConfigureAwait(false);
            if (current is not { DeletedAt: null })
            {
                return HubError.NotFound("secret");
            }

            if (expectedVersion is not null && expectedVersion != current.CurrentVersion)
            {
                return PreconditionFailed(current.CurrentVersion);
            }

            // Exact: the number is checked on the row the conditional write replaces.
            if (current.CurrentVersion >= options.Value.MaxVersionsPerSecret)
            {
                return HubError.Conflict(VaultErrors.VersionQuotaExceeded,
                    $"The secret has {current.CurrentVersion} versions (Vault:MaxVersionsPerSecret is {options.Value.MaxVersionsPerSecret}): create a new secret instead.");
            }

            var number = current.CurrentVersion + 1;
            var now = time.GetUtcNow();
            var sealedValue = await SealAsync(input.Value!, current.ContextFor(number), cancellationToken).ConfigureAwait(false);
            var updated = current with
            {
                CurrentVersion = number,
                Description = input.Description ?? current.Description,
                Tags = input.Tags ?? current.Tags,
                AuthType = input.AuthType ?? current.AuthType,
                Metadata = input.Metadata ?? current.Metadata,
                ExpiresAt = input.ExpiresAt ?? current.ExpiresAt,
                RotateEvery = input.RotateEvery ?? current.RotateEvery,
                UpdatedBy = actor,
                UpdatedAt = now,
                CurrentValue = sealedValue,
            };
            var added = await store.TryAddVersionAsync(updated, new SecretVersionRecord(location, number, sealedValue, actor, now), cancellationToken).ConfigureAwait(false);
            changes?.Changed(location);
            switch (added)
            {
                case WriteOutcome.Written:
                    return updated;
                case WriteOutcome.NotFound:
                    return HubError.NotFound("secret");
                case WriteOutcome.Conflict when expectedVersion is not null:
                    return PreconditionFailed(null);
                default:
                    // Another writer won this version number: take the next one, after a short random pause so
                    // that many writers of one secret spread out instead of colliding again in lockstep.
                    await Task.Delay(TimeSpan.FromMilliseconds(random.Next(1, 5 + (2 * attempt))), time, cancellationToken).ConfigureAwait(false);
                    continue;
            }
        }

        return HubError.Conflict(VaultErrors.UpdateContention, "The secret is being updated by many callers at once; retry.");
    }

    /// <summary>Lists or searches the secrets of <paramref name="project"/> (already found in its organization).</summary>
    public async Task<Result<PagedList<SecretRecord>>> ListAsync(Project project, SecretQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(query);
        if (query.Tag is not null && !SecretRules.IsValidTag(query.Tag))
        {
            return HubError.Invalid(VaultErrors.InvalidTags, "tag is not a valid tag.", "tag");
        }

        if (SecretRules.ValidateAuthType(query.AuthType) is { } error)
        {
            return error;
        }

        return await store.ListAsync(project.OrganizationId, project.Id, query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One page of a secret's versions, oldest first. Versions are numbered 1 to <see cref="SecretRecord.CurrentVersion"/>
    /// without gaps, so the page is one range read and the total needs no count.
    /// </summary>
    public async Task<Result<PagedList<SecretVersionInfo>>> ListVersionsAsync(SecretLocation location, PageRequest page, CancellationToken cancellationToken = default)
    {
        var secret = await GetAsync(location, cancellationToken).ConfigureAwait(false);
        if (!secret.IsSuccess)
        {
            return secret.Error;
        }

        var total = secret.Value.CurrentVersion;
        if (page.Skip >= total)
        {
            return new PagedList<SecretVersionInfo>([], page, total);
        }

        var from = (int)page.Skip + 1;
        var to = (int)Math.Min(total, page.Skip + page.PerPage);
        var versions = await store.ListVersionsAsync(location, from, to, cancellationToken).ConfigureAwait(false);
        return new PagedList<SecretVersionInfo>(versions, page, total);
    }

    /// <summary>
    /// Changes description, tags, auth type and metadata without a new version (<see cref="SecretPatch"/>). With
    /// <paramref name="expectedVersion"/> (If-Match) it applies only while that is still the latest version.
    /// </summary>
    public Task<Result<SecretRecord>> PatchAsync(SecretLocation location, SecretPatch patch, int? expectedVersion, string actor, CancellationToken cancellationToken = default) =>
        TracedAsync("patch", location, () => PatchCoreAsync(location, patch, expectedVersion, actor, cancellationToken));

    private async Task<Result<SecretRecord>> PatchCoreAsync(SecretLocation location, SecretPatch patch, int? expectedVersion, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var invalid = (patch.SetsDescription ? SecretRules.ValidateDescription(patch.Description) : null)
            ?? SecretRules.ValidateTags(patch.Tags)
            ?? (patch.SetsAuthType ? SecretRules.ValidateAuthType(patch.AuthType) : null)
            ?? (patch.SetsRotateEvery ? SecretRules.ValidateRotateEvery(patch.RotateEvery) : null)
            ?? ValidateMetadataPatch(patch.Metadata);
        if (invalid is not null)
        {
            return invalid;
        }

        return await ChangeAsync(location, actor, (s, _) => s.DeletedAt is not null
                ? HubError.NotFound("secret")
                : expectedVersion is not null && expectedVersion != s.CurrentVersion
                    ? PreconditionFailed(s.CurrentVersion)
                    : SecretRules.ValidateMetadata(Merge(s.Metadata, patch)),
            (s, _) => s with
            {
                Description = patch.SetsDescription ? patch.Description : s.Description,
                Tags = patch.Tags ?? s.Tags,
                AuthType = patch.SetsAuthType ? patch.AuthType ?? SecretAuthTypes.Other : s.AuthType,
                Metadata = Merge(s.Metadata, patch),
                ExpiresAt = patch.SetsExpiresAt ? patch.ExpiresAt : s.ExpiresAt,
                RotateEvery = patch.SetsRotateEvery ? patch.RotateEvery : s.RotateEvery,
            }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Purges a deleted secret whose retention window has passed (the retention job). Re-checked on the row it
    /// removes: a secret restored meanwhile, or one still inside its window, is refused — never a live secret.
    /// </summary>
    public Task<Result<SecretRecord>> PurgeExpiredAsync(SecretLocation location, string actor, CancellationToken cancellationToken = default) =>
        PurgeAsync(location, actor, (s, now) => s.DeletedAt is { } deletedAt && now - deletedAt > options.Value.SoftDeleteRetention
            ? null
            : HubError.Conflict(VaultErrors.SecretNotDeleted, "The secret is not deleted, or still inside its retention window."), cancellationToken);

    /// <summary>Deleted secrets past their retention window, across every tenant, at most <paramref name="max"/>: candidates for <see cref="PurgeExpiredAsync"/>.</summary>
    public IAsyncEnumerable<SecretLocation> ListExpiredAsync(int max, CancellationToken cancellationToken = default) =>
        store.ListDeletedAsync(time.GetUtcNow() - options.Value.SoftDeleteRetention, max, cancellationToken);

    /// <summary>Soft delete: the secret is not found afterwards but can be restored within the retention window.</summary>
    public Task<Result<SecretRecord>> DeleteAsync(SecretLocation location, string actor, CancellationToken cancellationToken = default) =>
        TracedAsync("delete", location, () => ChangeAsync(location, actor, static (s, _) => s.DeletedAt is null ? null : HubError.NotFound("secret"), (s, now) => s with { DeletedAt = now }, cancellationToken));

    public Task<Result<SecretRecord>> RestoreAsync(SecretLocation location, string actor, CancellationToken cancellationToken = default) =>
        TracedAsync("restore", location, () => ChangeAsync(location, actor, (s, now) => s.DeletedAt switch
        {
            null => HubError.Conflict(VaultErrors.SecretNotDeleted, "The secret is not deleted."),
            _ when s.Purging => HubError.NotFound("deleted secret (it is being purged)"),
            var deletedAt when now - deletedAt > options.Value.SoftDeleteRetention => HubError.NotFound("deleted secret (its retention window has passed)"),
            _ => null,
        }, static (s, _) => s with { DeletedAt = null }, cancellationToken));

    /// <summary>
    /// Removes a deleted secret and every version for good. The secret is first marked as purging (under its ETag,
    /// so a concurrent restore either wins or is refused), then removed.
    /// </summary>
    public Task<Result<SecretRecord>> PurgeAsync(SecretLocation location, string actor, CancellationToken cancellationToken = default) =>
        TracedAsync("purge", location, () => PurgeAsync(location, actor, static (s, _) => s.DeletedAt is null
            ? HubError.Conflict(VaultErrors.SecretNotDeleted, "Only a deleted secret can be purged: delete it first.")
            : null, cancellationToken));

    /// <summary>
    /// Runs one vault operation in a span of its own and counts it (<c>hub.vault.operations</c>). The span carries ids and the
    /// outcome's code: never the value, and not the name either (a name is chosen by the caller and could say more than it should).
    /// </summary>
    private static async Task<Result<T>> TracedAsync<T>(string operation, SecretLocation location, Func<Task<Result<T>>> run)
    {
        HubTelemetry.RecordVaultOperation(operation);
        using var activity = HubTelemetry.StartActivity("vault " + operation);
        activity?.SetTag(HubTelemetry.Tags.Operation, operation);
        activity?.SetTag(HubTelemetry.Tags.OrganizationId, location.OrganizationId);
        activity?.SetTag(HubTelemetry.Tags.ProjectId, location.ProjectId);
        if (location.SecretId is { } secretId)
        {
            activity?.SetTag(HubTelemetry.Tags.SecretId, secretId);
        }

        var result = await run().ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            activity?.SetTag("hub.error_code", result.Error.Code);
        }

        return result;
    }

    private async Task<Result<SecretRecord>> PurgeAsync(
        SecretLocation location, string actor, Func<SecretRecord, DateTimeOffset, HubError?> check, CancellationToken cancellationToken)
    {
        // An interrupted purge (already marked) passes the same check again: it is still deleted.
        var purging = await ChangeAsync(location, actor, check, static (s, _) => s with { Purging = true }, cancellationToken).ConfigureAwait(false);
        if (!purging.IsSuccess)
        {
            return purging;
        }

        // Re-read for the ETag the marking produced: the purge deletes the secret only if nothing changed since.
        // A key rotation re-wrapping the row changes its ETag too; nothing else can change a purging secret, so retry.
        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var marked = await LoadAsync(location, includeValue: false, cancellationToken).ConfigureAwait(false);
            if (marked is not { Purging: true })
            {
                return HubError.NotFound("secret");
            }

            var purged = await store.PurgeAsync(marked, cancellationToken).ConfigureAwait(false);
            changes?.Changed(location);
            if (purged == WriteOutcome.Written)
            {
                return marked;
            }
        }

        return HubError.Conflict(VaultErrors.UpdateContention, "The secret changed while it was being purged; retry.");
    }

    private async Task<Result<SecretRecord>> ChangeAsync(
        SecretLocation location, string actor, Func<SecretRecord, DateTimeOffset, HubError?> check, Func<SecretRecord, DateTimeOffset, SecretRecord> change,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var current = await LoadAsync(location, includeValue: true, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return HubError.NotFound("secret");
            }

            var now = time.GetUtcNow();
            if (check(current, now) is { } error)
            {
                return error;
            }

            var updated = change(current, now) with { UpdatedBy = actor, UpdatedAt = now };
            var written = await store.TryUpdateAsync(updated, cancellationToken).ConfigureAwait(false);
            changes?.Changed(location);
            switch (written)
            {
                case WriteOutcome.Written:
                    return updated;
                case WriteOutcome.NotFound:
                    return HubError.NotFound("secret");
                default:
                    continue;
            }
        }

        return HubError.Conflict(VaultErrors.UpdateContention, "The secret is being updated by many callers at once; retry.");
    }

    /// <summary>
    /// The secret at <paramref name="location"/>, or null. Ill-formed ids and names are not found without a storage
    /// round trip (nor a storage key built from them); a location found by id must still hold that id.
    /// </summary>
    private async Task<SecretRecord?> LoadAsync(SecretLocation location, bool includeValue, CancellationToken cancellationToken)
    {
        if (!SecretRules.IsValidName(location.Name) || !Ids.IsValid("org", location.OrganizationId) || !Ids.IsValid("prj", location.ProjectId))
        {
            return null;
        }

        var secret = await store.GetAsync(location, includeValue, cancellationToken).ConfigureAwait(false);
        return secret is not null && (location.SecretId is null || string.Equals(secret.SecretId, location.SecretId, StringComparison.Ordinal))
            ? secret
            : null;
    }

    private static HubError? ValidateMetadataPatch(IReadOnlyDictionary<string, string?>? metadata)
    {
        if (metadata is null)
        {
            return null;
        }

        // Entries set are checked like a full map; entries removed only need a key (any string: it may name a key
        // stored under older rules). The merged map is checked again against the bounds.
        var set = metadata.Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value!, StringComparer.Ordinal);
        return set.Count <= SecretRules.MaxMetadataEntries
            ? SecretRules.ValidateMetadata(set)
            : HubError.Invalid(VaultErrors.InvalidMetadata, $"metadata has at most {SecretRules.MaxMetadataEntries} entries.", "metadata");
    }

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> current, SecretPatch patch)
    {
        var merged = patch.ClearMetadata ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(current, StringComparer.Ordinal);
        foreach (var (key, value) in patch.Metadata ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = value;
            }
        }

        return merged;
    }

    private HubError? ValidateInput(SecretInput input)
    {
        if (input.Value is null)
        {
            return HubError.Invalid(CommonErrors.MissingField, "value is required.", "value");
        }

        if (input.Value.Length == 0)
        {
            return HubError.Invalid(VaultErrors.InvalidValue, "value must not be empty.", "value");
        }

        var max = options.Value.MaxValueBytes;
        // Length is a lower bound of the UTF-8 size: skip the count for values that cannot fit anyway.
        if (input.Value.Length > max || Encoding.UTF8.GetByteCount(input.Value) > max)
        {
            return new HubError(ErrorKind.TooLarge, VaultErrors.ValueTooLarge, $"value must be at most {max} bytes (UTF-8).", "value");
        }

        return SecretRules.ValidateDescription(input.Description) ?? SecretRules.ValidateTags(input.Tags)
            ?? SecretRules.ValidateAuthType(input.AuthType) ?? SecretRules.ValidateMetadata(input.Metadata) ?? SecretRules.ValidateRotateEvery(input.RotateEvery);
    }

    private async Task<SealedSecret> SealAsync(string value, SealContext context, CancellationToken cancellationToken)
    {
        var plaintext = Encoding.UTF8.GetBytes(value);
        try
        {
            return await cipher.SealAsync(plaintext, context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static HubError PreconditionFailed(int? currentVersion) => new(ErrorKind.PreconditionFailed, VaultErrors.VersionMismatch,
        currentVersion is null
            ? "The secret changed since the version named in If-Match."
            : $"The secret's latest version is {currentVersion}, not the one named in If-Match.");
}
