using Integrations.Core.Common;

namespace Integrations.Core.Identity;

/// <summary>Creates, lists and revokes an organization's API keys.</summary>
public sealed class ApiKeyService(IApiKeyStore store, CallerAuthenticator authenticator, TimeProvider time)
{
    public const int MaxNameLength = 100;

    public async Task<Result<IssuedApiKey>> CreateAsync(
        string organizationId, string? name, IReadOnlyList<string>? scopes, DateTimeOffset? expiresAt, string createdBy,
        CancellationToken cancellationToken = default)
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

        var now = time.GetUtcNow();
        if (expiresAt is not null && expiresAt <= now)
        {
            return HubError.Invalid(IdentityErrors.InvalidExpiry, "expires_at must be in the future.", "expires_at");
        }

        var (token, hash) = ApiKeyToken.Generate();
        var key = new ApiKey(Ids.New("key"), organizationId, name, scopes.Distinct(StringComparer.Ordinal).ToList(), hash,
            ApiKeyToken.Hint(token), createdBy, now, expiresAt);
        await store.AddAsync(key, cancellationToken).ConfigureAwait(false);
        return new IssuedApiKey(key, token);
    }

    public Task<IReadOnlyList<ApiKey>> ListAsync(string organizationId, CancellationToken cancellationToken = default) =>
        store.ListAsync(organizationId, cancellationToken);

    public async Task<Result<ApiKey>> RevokeAsync(string organizationId, string keyId, CancellationToken cancellationToken = default)
    {
        var key = Ids.IsValid("key", keyId) ? await store.GetAsync(organizationId, keyId, cancellationToken).ConfigureAwait(false) : null;
        if (key is null || await store.RevokeAsync(organizationId, keyId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            return HubError.NotFound("API key");
        }

        authenticator.Forget(key.Hash);
        return key;
    }
}
