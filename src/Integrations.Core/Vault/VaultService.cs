using System.Security.Cryptography;
using System.Text;
using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Integrations.Core.Tenancy;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Vault;

/// <summary>
/// The vault: secrets by name within a project, every value sealed with its own data key, every change a new
/// version. Expected failures come back as <see cref="HubError"/> values.
/// </summary>
public sealed class VaultService(ISecretStore store, EnvelopeCipher cipher, TimeProvider time, IRandomSource random, IOptions<VaultOptions> options)
{
    private const int MaxUpdateAttempts = 32;

    /// <summary>Creates version 1 of a secret in <paramref name="project"/> — a project the caller has already found in its organization (the request pipeline verifies it once).</summary>
    public async Task<Result<SecretRecord>> CreateAsync(Project project, string? name, SecretInput input, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        if ((SecretRules.ValidateName(name) ?? ValidateInput(input)) is { } error)
        {
            return error;
        }

        var location = new SecretLocation(project.OrganizationId, project.Id, name!);
        var now = time.GetUtcNow();
        var secretId = Ids.New("sec");
        var sealedValue = await SealAsync(input.Value!, SecretRecord.ContextFor(location, secretId, 1), cancellationToken).ConfigureAwait(false);
        var secret = new SecretRecord(location, secretId, 1, input.Description, input.Tags ?? [], actor, now, actor, now, null, sealedValue);
        var first = new SecretVersionRecord(location, 1, sealedValue, actor, now);
        return await store.TryCreateAsync(secret, first, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written
            ? secret
            : HubError.Conflict(VaultErrors.SecretExists, $"The project already has a secret named '{name}' (a deleted one keeps its name until it is purged).");
    }

    /// <summary>The secret's metadata; deleted secrets are not found.</summary>
    public async Task<Result<SecretRecord>> GetAsync(SecretLocation location, CancellationToken cancellationToken = default)
    {
        var secret = IsWellFormed(location) ? await store.GetAsync(location, includeValue: false, cancellationToken).ConfigureAwait(false) : null;
        return secret is { DeletedAt: null } ? secret : HubError.NotFound("secret");
    }

    /// <summary>Opens the latest value, or version <paramref name="version"/>.</summary>
    public async Task<Result<RevealedSecret>> RevealAsync(SecretLocation location, int? version, CancellationToken cancellationToken = default)
    {
        if (version is < 1)
        {
            return HubError.Invalid(VaultErrors.InvalidVersion, "version must be 1 or more.", "version");
        }

        var secret = IsWellFormed(location)
            ? await store.GetAsync(location, includeValue: version is null, cancellationToken).ConfigureAwait(false)
            : null;
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
    public async Task<Result<SecretRecord>> UpdateAsync(SecretLocation location, SecretInput input, int? expectedVersion, string actor, CancellationToken cancellationToken = default)
    {
        if (ValidateInput(input) is { } error)
        {
            return error;
        }

        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var current = IsWellFormed(location) ? await store.GetAsync(location, includeValue: false, cancellationToken).ConfigureAwait(false) : null;
            if (current is not { DeletedAt: null })
            {
                return HubError.NotFound("secret");
            }

            if (expectedVersion is not null && expectedVersion != current.CurrentVersion)
            {
                return PreconditionFailed(current.CurrentVersion);
            }

            var number = current.CurrentVersion + 1;
            var now = time.GetUtcNow();
            var sealedValue = await SealAsync(input.Value!, current.ContextFor(number), cancellationToken).ConfigureAwait(false);
            var updated = current with
            {
                CurrentVersion = number,
                Description = input.Description ?? current.Description,
                Tags = input.Tags ?? current.Tags,
                UpdatedBy = actor,
                UpdatedAt = now,
                CurrentValue = sealedValue,
            };
            switch (await store.TryAddVersionAsync(updated, new SecretVersionRecord(location, number, sealedValue, actor, now), cancellationToken).ConfigureAwait(false))
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

        var all = await store.ListAsync(project.OrganizationId, project.Id, query.NamePrefix, cancellationToken).ConfigureAwait(false);
        var matching = all
            .Where(s => (s.DeletedAt is not null) == query.Deleted)
            .Where(s => query.Tag is null || s.Tags.Contains(query.Tag, StringComparer.Ordinal))
            .ToList();
        return query.Page.Apply(matching);
    }

    public async Task<Result<IReadOnlyList<SecretVersionInfo>>> ListVersionsAsync(SecretLocation location, CancellationToken cancellationToken = default)
    {
        var secret = await GetAsync(location, cancellationToken).ConfigureAwait(false);
        if (!secret.IsSuccess)
        {
            return secret.Error;
        }

        return Result.Success(await store.ListVersionsAsync(location, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Soft delete: the secret is not found afterwards but can be restored within the retention window.</summary>
    public Task<Result<SecretRecord>> DeleteAsync(SecretLocation location, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(location, actor, static (s, _) => s.DeletedAt is null ? null : HubError.NotFound("secret"), (s, now) => s with { DeletedAt = now }, cancellationToken);

    public Task<Result<SecretRecord>> RestoreAsync(SecretLocation location, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(location, actor, (s, now) => s.DeletedAt switch
        {
            null => HubError.Conflict(VaultErrors.SecretNotDeleted, "The secret is not deleted."),
            _ when s.Purging => HubError.NotFound("deleted secret (it is being purged)"),
            var deletedAt when now - deletedAt > options.Value.SoftDeleteRetention => HubError.NotFound("deleted secret (its retention window has passed)"),
            _ => null,
        }, static (s, _) => s with { DeletedAt = null }, cancellationToken);

    /// <summary>
    /// Removes a deleted secret and every version for good. The secret is first marked as purging (under its ETag,
    /// so a concurrent restore either wins or is refused), then removed.
    /// </summary>
    public async Task<Result<SecretRecord>> PurgeAsync(SecretLocation location, string actor, CancellationToken cancellationToken = default)
    {
        var purging = await ChangeAsync(location, actor, static (s, _) => s.DeletedAt is null
            ? HubError.Conflict(VaultErrors.SecretNotDeleted, "Only a deleted secret can be purged: delete it first.")
            : null, static (s, _) => s with { Purging = true }, cancellationToken).ConfigureAwait(false);
        if (!purging.IsSuccess)
        {
            return purging;
        }

        // Re-read for the ETag the marking produced: the purge deletes the secret only if nothing changed since.
        // A key rotation re-wrapping the row changes its ETag too; nothing else can change a purging secret, so retry.
        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var marked = await store.GetAsync(location, includeValue: false, cancellationToken).ConfigureAwait(false);
            if (marked is not { Purging: true })
            {
                return HubError.NotFound("secret");
            }

            if (await store.PurgeAsync(marked, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written)
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
            var current = IsWellFormed(location) ? await store.GetAsync(location, includeValue: true, cancellationToken).ConfigureAwait(false) : null;
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
            switch (await store.TryUpdateAsync(updated, cancellationToken).ConfigureAwait(false))
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

    /// <summary>Ill-formed ids and names are not found without a storage round trip (nor a storage key built from them).</summary>
    private static bool IsWellFormed(SecretLocation location) =>
        SecretRules.IsValidName(location.Name) && Ids.IsValid("org", location.OrganizationId) && Ids.IsValid("prj", location.ProjectId);

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

        return SecretRules.ValidateDescription(input.Description) ?? SecretRules.ValidateTags(input.Tags);
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
