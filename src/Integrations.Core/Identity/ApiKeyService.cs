using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Integrity;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity;

/// <summary>
/// Creates, lists, revokes and removes an organization's API keys. A key creates keys only within its own authority:
/// a subset of its scopes, an expiry no later than its own and within <see cref="HubOptions.MaxApiKeyLifetime"/>; it is
/// recorded as their parent, and revoking it revokes them.
/// </summary>
public sealed class ApiKeyService(
    IApiKeyStore store, CallerAuthenticator authenticator, AuthorityRows authority, AuditLog audit, TimeProvider time, IOptions<HubOptions> options,
    IOptions<Recovery.RecoveryOptions> auth)
{
    public const int MaxNameLength = 100;

    /// <summary>Actor of the cleanup job's audit records.</summary>
    public static ApiKeyActor CleanupActor { get; } = new("System", "CleanupApiKeys");

    /// <summary>
    /// A key created by an operator or the platform (no creating key): any scope, an expiry within
    /// <see cref="HubOptions.MaxApiKeyLifetime"/> (the maximum when none is given).
    /// </summary>
    public Task<Result<IssuedApiKey>> CreateAsync(
        string organizationId, string? name, IReadOnlyList<string>? scopes, DateTimeOffset? expiresAt, string createdBy,
        string? keyId = null, CancellationToken cancellationToken = default) =>
        CreateCoreAsync(organizationId, name, scopes, expiresAt, createdBy, parent: null, unbounded: false, keyId, cancellationToken);

    /// <summary>
    /// A key that never expires, outside <see cref="HubOptions.MaxApiKeyLifetime"/>: only the owner key created with an
    /// organization and an operator's explicit <c>ihub apikeys create --no-expiry</c> (storage access trusts them anyway).
    /// Never reachable through the API.
    /// </summary>
    public Task<Result<IssuedApiKey>> CreateWithoutExpiryAsync(
        string organizationId, string? name, IReadOnlyList<string>? scopes, string createdBy, string? keyId = null, CancellationToken cancellationToken = default) =>
        CreateCoreAsync(organizationId, name, scopes, expiresAt: null, createdBy, parent: null, unbounded: true, keyId, cancellationToken);

    /// <summary>
    /// A key created by another key of the organization (the API): scopes a subset of the creator's, an expiry no later
    /// than the creator's (the earlier of it and the maximum lifetime when none is given); the creator becomes its parent.
    /// </summary>
    public async Task<Result<IssuedApiKey>> CreateByKeyAsync(
        string organizationId, string creatorKeyId, string? name, IReadOnlyList<string>? scopes, DateTimeOffset? expiresAt,
        string? keyId = null, CancellationToken cancellationToken = default)
    {
        // Read the creator afresh (not from the authentication cache): its scopes and state as stored now.
        var creator = Ids.IsValid("key", creatorKeyId) ? await store.GetAsync(organizationId, creatorKeyId, cancellationToken).ConfigureAwait(false) : null;
        if (creator is null || !creator.IsUsableAt(time.GetUtcNow()))
        {
            return HubError.Conflict(IdentityErrors.CreatingKeyRevoked, "The key making this request is revoked or expired.");
        }

        return await CreateCoreAsync(organizationId, name, scopes, expiresAt, creator.Id, creator, unbounded: false, keyId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A key created by a signed-in person (a user's access token): scopes a subset of what their role grants
    /// (<paramref name="grantedScopes"/>, from the role matrix), an expiry within the maximum lifetime; no parent key.
    /// </summary>
    public Task<Result<IssuedApiKey>> CreateByUserAsync(
        string organizationId, string userId, IReadOnlySet<string> grantedScopes, string? name, IReadOnlyList<string>? scopes, DateTimeOffset? expiresAt,
        string? keyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grantedScopes);
        return CreateCoreAsync(organizationId, name, scopes, expiresAt, userId, parent: null, unbounded: false, keyId, cancellationToken, grantedScopes);
    }

    public Task<IReadOnlyList<ApiKey>> ListAsync(string organizationId, CancellationToken cancellationToken = default) =>
        store.ListAsync(organizationId, cancellationToken);

    /// <summary>
    /// Revokes a key and every key below it in one operation, and audits each descendant (<see cref="AuditActions.ApiKeyRevokeCascade"/>).
    /// Lookup rows (what authentication reads) are revoked before any listed row, the key itself listed last, so a
    /// failure half-way never leaves a key usable while it lists as revoked; calling again finishes the work.
    /// </summary>
    public async Task<Result<RevokedApiKeys>> RevokeAsync(
        string organizationId, string keyId, ApiKeyActor actor, CancellationToken cancellationToken = default)
    {
        var key = Ids.IsValid("key", keyId) ? await store.GetAsync(organizationId, keyId, cancellationToken).ConfigureAwait(false) : null;
        if (key is null)
        {
            return HubError.NotFound("API key");
        }

        var revokedAt = time.GetUtcNow();
        var revoked = new List<ApiKey> { key };
        var ids = new HashSet<string>(StringComparer.Ordinal) { key.Id };
        var pending = new List<ApiKey> { key };
        // Rounds until a listing finds no new descendant. A key created concurrently by a key being revoked is either in
        // the next listing (written before it) or sees its creator's lookup row revoked when it checks it after its own
        // write (CreateCoreAsync), and revokes itself: no child escapes, however the two interleave.
        while (pending.Count > 0)
        {
            await store.RevokeLookupRowsAsync(pending, revokedAt, cancellationToken).ConfigureAwait(false);
            Forget(pending);
            var all = await store.ListAsync(organizationId, cancellationToken).ConfigureAwait(false);
            pending = [.. all.Where(k => k.ParentKeyId is { } parent && ids.Contains(parent) && !ids.Contains(k.Id))];
            foreach (var child in pending)
            {
                ids.Add(child.Id);
                revoked.Add(child);
            }
        }

        var descendants = revoked.Skip(1).Select(k => k.Id).ToList();
        await store.RevokeListedRowsAsync(organizationId, [.. revoked.Skip(1), key], revokedAt, cancellationToken).ConfigureAwait(false);
        foreach (var id in descendants)
        {
            await audit.WriteAsync(new AuditEvent(organizationId, null, AuditActions.ApiKeyRevokeCascade, AuditOutcomes.Success, 204,
                actor.Type, actor.Id, $"apikey/{id}"), cancellationToken).ConfigureAwait(false);
        }

        return new RevokedApiKeys(key with { RevokedAt = key.RevokedAt ?? revokedAt }, descendants);
    }

    /// <summary>
    /// Removes the rows of keys that expired or were revoked more than <see cref="HubOptions.EndedApiKeyRetention"/> ago,
    /// each audited in its organization's log before it goes (a failed removal is retried by the next run, audited again).
    /// </summary>
    /// <returns>How many keys were removed.</returns>
    public async Task<int> RemoveEndedAsync(CancellationToken cancellationToken = default)
    {
        var before = time.GetUtcNow() - options.Value.EndedApiKeyRetention;
        var removed = 0;
        await foreach (var key in store.ListEndedBeforeAsync(before, cancellationToken).ConfigureAwait(false))
        {
            await audit.WriteAsync(new AuditEvent(key.OrganizationId, null, AuditActions.ApiKeyCleanup, AuditOutcomes.Success, 204,
                CleanupActor.Type, CleanupActor.Id, $"apikey/{key.Id}"), cancellationToken).ConfigureAwait(false);
            await store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            authenticator.Forget(key.Hash);
            removed++;
        }

        return removed;
    }

    private async Task<Result<IssuedApiKey>> CreateCoreAsync(
        string organizationId, string? name, IReadOnlyList<string>? scopes, DateTimeOffset? expiresAt, string createdBy, ApiKey? parent, bool unbounded,
        string? keyId, CancellationToken cancellationToken, IReadOnlySet<string>? grantedScopes = null)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || !PrintableText.IsPrintable(name))
        {
            return HubError.Invalid(CommonErrors.InvalidName,
                $"name is required, at most {MaxNameLength} characters, without control, format (bidi) or other non-printing characters.", "name");
        }

        if (scopes is null || scopes.Count == 0)
        {
            return HubError.Invalid(CommonErrors.MissingField, "scopes must list at least one scope.", "scopes");
        }

        if (scopes.Any(s => s is null || !Scopes.IsKnown(s)))
        {
            var unknown = scopes.First(s => s is null || !Scopes.IsKnown(s));
            return HubError.Invalid(IdentityErrors.UnknownScope, $"'{unknown ?? "null"}' is not a scope. Scopes: {string.Join(", ", Scopes.All)}.", "scopes");
        }

        // A platform scope (log in as any person) is the platform's own: never on another organization's key, whoever asks.
        if (scopes.FirstOrDefault(s => Scopes.Platform.Contains(s, StringComparer.Ordinal)) is { } platformScope
            && !string.Equals(organizationId, auth.Value.Platform.OrganizationId, StringComparison.Ordinal))
        {
            return HubError.Invalid(IdentityErrors.ScopePlatformOnly,
                $"'{platformScope}' can only be given to a key of the platform's own organization (Auth:Platform:OrganizationId).", "scopes");
        }

        if (parent is not null && scopes.FirstOrDefault(s => !parent.Scopes.Contains(s, StringComparer.Ordinal)) is { } notHeld)
        {
            return new HubError(ErrorKind.Forbidden, IdentityErrors.ScopeNotHeld,
                $"The key making this request does not hold '{notHeld}', so it cannot give it to another key.", "scopes");
        }

        if (grantedScopes is not null && scopes.FirstOrDefault(s => !grantedScopes.Contains(s)) is { } notGranted)
        {
            return new HubError(ErrorKind.Forbidden, IdentityErrors.ScopeNotHeld,
                $"Your role in this organization does not grant '{notGranted}', so you cannot give it to a key.", "scopes");
        }

        var now = time.GetUtcNow();
        if (expiresAt is not null && expiresAt <= now)
        {
            return HubError.Invalid(IdentityErrors.InvalidExpiry, "expires_at must be in the future.", "expires_at");
        }

        if (!unbounded)
        {
            var latest = now + options.Value.MaxApiKeyLifetime;
            if (parent?.ExpiresAt is { } parentExpiry && parentExpiry < latest)
            {
                latest = parentExpiry;
            }

            if (expiresAt > latest)
            {
                return HubError.Invalid(IdentityErrors.ExpiryTooLate, parent?.ExpiresAt == latest
                    ? $"expires_at must be no later than the expiry of the key making this request ({latest:O})."
                    : $"expires_at must be within Hub:MaxApiKeyLifetime ({options.Value.MaxApiKeyLifetime.TotalDays:0.##} days), no later than {latest:O}.", "expires_at");
            }

            expiresAt ??= latest;
        }

        // Counted, not reserved: two creates racing at the limit may both pass, so an organization can end a few keys
        // over it (at most one per concurrent request); a counter row would serialize every create on one entity.
        if (await store.CountAsync(organizationId, cancellationToken).ConfigureAwait(false) >= options.Value.MaxApiKeysPerOrganization)
        {
            return HubError.Conflict(IdentityErrors.ApiKeyQuotaReached,
                $"The organization holds {options.Value.MaxApiKeysPerOrganization} API keys, its limit (Hub:MaxApiKeysPerOrganization). " +
                "Revoked and expired keys count until they are removed; revoke keys you no longer use.");
        }

        var (token, _) = ApiKeyToken.Generate();
        // Stored under a keyed hash: a storage writer cannot compute the row of a key it chose (the store adds the row MAC).
        var hash = await authority.LookupHashAsync(ApiKeyToken.Digest(token), cancellationToken).ConfigureAwait(false);
        var key = new ApiKey(keyId ?? Ids.New("key"), organizationId, name, scopes.Distinct(StringComparer.Ordinal).ToList(), hash,
            ApiKeyToken.Hint(token), createdBy, now, expiresAt, ParentKeyId: parent?.Id);
        await store.AddAsync(key, cancellationToken).ConfigureAwait(false);
        if (parent is not null)
        {
            // The creator may have been revoked while this key was written; its revocation lists the keys below it only
            // after marking its lookup row, so reading that row now closes the gap (see RevokeAsync).
            var creatorNow = await store.FindByHashAsync(parent.Hash, CancellationToken.None).ConfigureAwait(false);
            if (creatorNow is null || creatorNow.RevokedAt is not null)
            {
                await store.RevokeLookupRowsAsync([key], now, CancellationToken.None).ConfigureAwait(false);
                await store.RevokeListedRowsAsync(organizationId, [key], now, CancellationToken.None).ConfigureAwait(false);
                return HubError.Conflict(IdentityErrors.CreatingKeyRevoked, "The key making this request was revoked while the new key was created; the new key is revoked too.");
            }
        }

        return new IssuedApiKey(key, token);
    }

    private void Forget(IEnumerable<ApiKey> keys)
    {
        foreach (var key in keys)
        {
            authenticator.Forget(key.Hash);
        }
    }
}
