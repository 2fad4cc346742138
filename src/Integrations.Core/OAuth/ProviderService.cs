using Integrations.Core.Common;
using Integrations.Core.OAuth.Protocol;
using Integrations.Core.Tenancy;
using Integrations.Core.Vault;

namespace Integrations.Core.OAuth;

/// <summary>
/// A project's OAuth providers: from a catalog template, from an issuer's discovery document, or by hand. Client
/// secrets are vault secrets of the same project: a value given here is sealed into a secret named
/// <c>oauth-client-{provider id}</c> and the provider keeps only the name. Expected failures are <see cref="HubError"/> values.
/// </summary>
public sealed class ProviderService(
    IProviderStore store, VaultService vault, ProviderMetadataCache metadata, IProviderUsage usage, OAuthEndpointPolicy policy, TimeProvider time)
{
    private const int MaxUpdateAttempts = 16;

    /// <summary>The name of the vault secret the hub writes a provider's client secret value to.</summary>
    public static string GeneratedSecretName(string providerId) => "oauth-client-" + providerId;

    public async Task<Result<OAuthProvider>> CreateAsync(Project project, ProviderInput input, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(input);
        var id = Ids.New("prv");
        var now = time.GetUtcNow();
        var built = await BuildAsync(project, input, id, cancellationToken).ConfigureAwait(false);
        if (!built.IsSuccess)
        {
            return built.Error;
        }

        var provider = built.Value with { Id = id, OrganizationId = project.OrganizationId, ProjectId = project.Id, CreatedBy = actor, CreatedAt = now, UpdatedAt = now };
        var secretRef = await ResolveSecretAsync(project, provider, input, actor, cancellationToken).ConfigureAwait(false);
        if (!secretRef.IsSuccess)
        {
            return secretRef.Error;
        }

        provider = provider with { ClientSecretRef = secretRef.Value };
        if (await store.TryCreateAsync(provider, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written)
        {
            return provider;
        }

        // The name is taken: the secret written for this provider would be an orphan.
        if (input.ClientSecret is not null)
        {
            await RemoveGeneratedSecretAsync(project, id, actor, cancellationToken).ConfigureAwait(false);
        }

        return HubError.Conflict(ProviderErrors.ProviderExists, $"The project already has a provider named '{provider.Name}'.");
    }

    public async Task<Result<OAuthProvider>> GetAsync(Project project, string? providerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (!Ids.IsValid("prv", providerId))
        {
            return HubError.NotFound("provider");
        }

        var provider = await store.GetAsync(project.OrganizationId, project.Id, providerId!, cancellationToken).ConfigureAwait(false);
        // The row's own ids are checked too: a row copied into another partition is not found there.
        return provider is not null && provider.Id == providerId && provider.OrganizationId == project.OrganizationId && provider.ProjectId == project.Id
            ? provider
            : HubError.NotFound("provider");
    }

    public async Task<Result<PagedList<OAuthProvider>>> ListAsync(Project project, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        return await store.ListAsync(project.OrganizationId, project.Id, page, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Changes the members <paramref name="patch"/> sets. A template's endpoints stay the template's; a new
    /// <c>client_secret</c> becomes a new version of the provider's generated secret. Conditional on the row's ETag,
    /// retried on a concurrent change.
    /// </summary>
    public async Task<Result<OAuthProvider>> PatchAsync(Project project, string? providerId, ProviderInput patch, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        if (patch.TemplateId is not null || patch.TemplateParameters is not null)
        {
            return HubError.Invalid(ProviderErrors.TemplateFixedField, "A provider's template cannot be changed: create another provider.", "template");
        }

        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var current = await GetAsync(project, providerId, cancellationToken).ConfigureAwait(false);
            if (!current.IsSuccess)
            {
                return current;
            }

            var changed = await ApplyAsync(current.Value, patch, cancellationToken).ConfigureAwait(false);
            if (!changed.IsSuccess)
            {
                return changed;
            }

            var secretRef = patch.ClientSecret is null && patch.ClientSecretRef is null
                ? Result.Success(changed.Value.ClientSecretRef)
                : await ResolveSecretAsync(project, changed.Value, patch, actor, cancellationToken).ConfigureAwait(false);
            if (!secretRef.IsSuccess)
            {
                return secretRef.Error;
            }

            var updated = changed.Value with { ClientSecretRef = secretRef.Value, UpdatedAt = time.GetUtcNow() };
            if (NeedsSecret(updated.ClientAuthentication) && updated.ClientSecretRef is null)
            {
                return HubError.Invalid(ProviderErrors.ClientSecretRequired, "client_secret or client_secret_ref is required for this client_authentication.", "client_secret");
            }

            switch (await store.TryUpdateAsync(updated, cancellationToken).ConfigureAwait(false))
            {
                case WriteOutcome.Written:
                    return updated;
                case WriteOutcome.NotFound:
                    return HubError.NotFound("provider");
                case WriteOutcome.Conflict when !string.Equals(updated.Name, current.Value.Name, StringComparison.Ordinal)
                    && await NameTakenAsync(project, updated, cancellationToken).ConfigureAwait(false):
                    return HubError.Conflict(ProviderErrors.ProviderExists, $"The project already has a provider named '{updated.Name}'.");
                default:
                    continue;
            }
        }

        return HubError.Conflict(ProviderErrors.ProviderContention, "The provider is being changed by many callers at once; retry.");
    }

    /// <summary>
    /// Deletes the provider unless a connection still uses it (<see cref="IProviderUsage"/>). A client secret the hub
    /// generated for it is soft-deleted (restorable within the vault's retention); a referenced secret is left alone.
    /// </summary>
    public async Task<Result<OAuthProvider>> DeleteAsync(Project project, string? providerId, string actor, CancellationToken cancellationToken = default)
    {
        var current = await GetAsync(project, providerId, cancellationToken).ConfigureAwait(false);
        if (!current.IsSuccess)
        {
            return current;
        }

        var provider = current.Value;
        if (await usage.IsInUseAsync(project.OrganizationId, project.Id, provider.Id, cancellationToken).ConfigureAwait(false))
        {
            return HubError.Conflict(ProviderErrors.ProviderInUse, "Connections still use this provider: delete them or move them to another provider first.");
        }

        switch (await store.TryDeleteAsync(provider, cancellationToken).ConfigureAwait(false))
        {
            case WriteOutcome.Written:
                break;
            case WriteOutcome.NotFound:
                return HubError.NotFound("provider");
            default:
                return HubError.Conflict(ProviderErrors.ProviderContention, "The provider changed while it was being deleted; retry.");
        }

        if (provider.ClientSecretRef == GeneratedSecretName(provider.Id))
        {
            await vault.DeleteAsync(new SecretLocation(project.OrganizationId, project.Id, provider.ClientSecretRef), actor, cancellationToken).ConfigureAwait(false);
        }

        return provider;
    }

    /// <summary>The endpoints to call now: discovered (cached) and hand-set merged. See <see cref="ProviderMetadataCache"/>.</summary>
    public Task<Result<ProviderEndpoints>> ResolveEndpointsAsync(OAuthProvider provider, CancellationToken cancellationToken = default) =>
        metadata.ResolveAsync(provider, cancellationToken);

    /// <summary>
    /// The client registration with its secret (or private key) unsealed, for one token, device, or revocation request.
    /// Hold it only for that call.
    /// </summary>
    public async Task<Result<OAuthClientCredentials>> GetClientCredentialsAsync(OAuthProvider provider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        string? secret = null;
        string? key = null;
        if (provider.ClientSecretRef is { } secretRef && provider.ClientAuthentication is ClientAuthenticationMethod.ClientSecretBasic or ClientAuthenticationMethod.ClientSecretPost)
        {
            var revealed = await vault.RevealAsync(new SecretLocation(provider.OrganizationId, provider.ProjectId, secretRef), null, cancellationToken).ConfigureAwait(false);
            if (!revealed.IsSuccess)
            {
                return HubError.Invalid(ProviderErrors.ClientSecretNotFound, $"The provider's client secret '{secretRef}' is not in the vault.", "client_secret_ref");
            }

            secret = revealed.Value.Value;
        }

        if (provider.ClientAuthentication == ClientAuthenticationMethod.PrivateKeyJwt && provider.PrivateKeyRef is { } keyRef)
        {
            var revealed = await vault.RevealAsync(new SecretLocation(provider.OrganizationId, provider.ProjectId, keyRef), null, cancellationToken).ConfigureAwait(false);
            if (!revealed.IsSuccess)
            {
                return HubError.Invalid(ProviderErrors.ClientSecretNotFound, $"The provider's private key '{keyRef}' is not in the vault.", "private_key_ref");
            }

            key = revealed.Value.Value;
        }

        return new OAuthClientCredentials(provider.ClientId, provider.ClientAuthentication, secret, key);
    }

    private static bool NeedsSecret(ClientAuthenticationMethod method) => method is ClientAuthenticationMethod.ClientSecretBasic or ClientAuthenticationMethod.ClientSecretPost;

    /// <summary>A provider (ids and audit fields still to set) from a create request: template, issuer or endpoints.</summary>
    private async Task<Result<OAuthProvider>> BuildAsync(Project project, ProviderInput input, string id, CancellationToken cancellationToken)
    {
        if ((ProviderRules.ValidateName(input.Name) ?? ProviderRules.ValidateClientId(input.ClientId)) is { } error)
        {
            return error;
        }

        var sources = (input.TemplateId is null ? 0 : 1) + (input.Issuer is null ? 0 : 1);
        if (input.TemplateId is not null && (input.Issuer is not null || input.Endpoints is not null))
        {
            return HubError.Invalid(ProviderErrors.TemplateFixedField, "A provider from a template takes the template's issuer and endpoints: leave issuer and endpoints out.",
                input.Issuer is not null ? "issuer" : "endpoints");
        }

        OAuthProvider draft;
        if (input.TemplateId is not null)
        {
            var fromTemplate = FromTemplate(input);
            if (!fromTemplate.IsSuccess)
            {
                return fromTemplate;
            }

            draft = fromTemplate.Value;
        }
        else if (sources == 0 && input.Endpoints is null)
        {
            return HubError.Invalid(ProviderErrors.MissingEndpoints, "Give a template, an issuer (endpoints are discovered) or endpoints (at least token).", "endpoints");
        }
        else
        {
            draft = Draft(input.Name!, input.ClientId!);
        }

        if (input.Issuer is not null)
        {
            var issuer = ProviderRules.ParseEndpoint(input.Issuer, "issuer", policy);
            if (!issuer.IsSuccess)
            {
                return issuer.Error;
            }

            var discovered = await metadata.DiscoverAsync(issuer.Value!, cancellationToken).ConfigureAwait(false);
            if (!discovered.IsSuccess)
            {
                return HubError.Invalid(ProviderErrors.DiscoveryFailed, $"The issuer's metadata could not be read: {discovered.Error.Message}", "issuer");
            }

            var handSet = input.Endpoints is null ? Result.Success<ProviderEndpoints?>(null) : ParseEndpoints(input.Endpoints, discovered.Value.Token);
            if (!handSet.IsSuccess)
            {
                return handSet.Error;
            }

            draft = draft with { Issuer = issuer.Value, Endpoints = handSet.Value is null ? null : handSet.Value with { Issuer = discovered.Value.Issuer } };
        }
        else if (input.Endpoints is not null)
        {
            var handSet = ParseEndpoints(input.Endpoints, null);
            if (!handSet.IsSuccess)
            {
                return handSet.Error;
            }

            draft = draft with { Endpoints = handSet.Value };
        }

        var applied = await ApplyAsync(draft with { Id = id, OrganizationId = project.OrganizationId, ProjectId = project.Id },
            input with { Name = null, ClientId = null, Issuer = null, Endpoints = null, TemplateId = null }, cancellationToken).ConfigureAwait(false);
        return applied.IsSuccess ? ValidateCreated(applied.Value, input) : applied;
    }

    private static Result<OAuthProvider> ValidateCreated(OAuthProvider provider, ProviderInput input) =>
        NeedsSecret(provider.ClientAuthentication) && input.ClientSecret is null && input.ClientSecretRef is null
            ? HubError.Invalid(ProviderErrors.ClientSecretRequired, "client_secret or client_secret_ref is required for this client_authentication.", "client_secret")
            : provider;

    private static OAuthProvider Draft(string name, string clientId) => new()
    {
        Id = "",
        OrganizationId = "",
        ProjectId = "",
        Name = name,
        ClientId = clientId,
        CreatedBy = "",
        CreatedAt = default,
        UpdatedAt = default,
    };

    private static Result<OAuthProvider> FromTemplate(ProviderInput input)
    {
        var template = ProviderTemplates.Find(input.TemplateId);
        if (template is null)
        {
            return HubError.Invalid(ProviderErrors.UnknownTemplate, "template is not in the catalog: see GET /v1/provider-templates.", "template");
        }

        var given = input.TemplateParameters ?? new Dictionary<string, string>(StringComparer.Ordinal);
        if (given.Keys.FirstOrDefault(k => !template.Parameters.Any(p => p.Name == k)) is not null)
        {
            return HubError.Invalid(ProviderErrors.InvalidTemplateParameter,
                $"template '{template.Id}' takes {(template.Parameters.Count == 0 ? "no parameters" : "only " + string.Join(", ", template.Parameters.Select(p => p.Name)))}.",
                "template_parameters");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in template.Parameters)
        {
            var value = given.TryGetValue(parameter.Name, out var v) ? v : parameter.Default;
            if (value is null)
            {
                return HubError.Invalid(ProviderErrors.InvalidTemplateParameter, $"template '{template.Id}' needs template_parameters.{parameter.Name}: {parameter.Description}", "template_parameters");
            }

            if (!parameter.Pattern.IsMatch(value))
            {
                return HubError.Invalid(ProviderErrors.InvalidTemplateParameter, $"template_parameters.{parameter.Name} is not valid: {parameter.Description}", "template_parameters");
            }

            values[parameter.Name] = value;
        }

        var endpoints = Instantiate(template, values);
        return Draft(input.Name!, input.ClientId!) with
        {
            TemplateId = template.Id,
            TemplateParameters = values,
            Endpoints = endpoints,
            ClientAuthentication = template.ClientAuthentication,
            DefaultScopes = template.DefaultScopes,
            ScopeSeparator = template.ScopeSeparator,
            UsePkce = template.UsePkce || template.PkceRequired,
            ExtraAuthorizationParameters = template.ExtraAuthorizationParameters,
            ExtraTokenParameters = template.ExtraTokenParameters,
            Quirks = template.Quirks,
        };
    }

    /// <summary>The template's endpoints with its placeholders filled (values already checked against their patterns).</summary>
    public static ProviderEndpoints Instantiate(ProviderTemplate template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        Uri? Fill(string? url)
        {
            if (url is null)
            {
                return null;
            }

            foreach (var (name, value) in values)
            {
                url = url.Replace("{" + name + "}", value, StringComparison.Ordinal);
            }

            return new Uri(url, UriKind.Absolute);
        }

        return new ProviderEndpoints
        {
            Issuer = Fill(template.Issuer),
            Authorization = Fill(template.AuthorizationEndpoint),
            Token = Fill(template.TokenEndpoint)!,
            Revocation = Fill(template.RevocationEndpoint),
            DeviceAuthorization = Fill(template.DeviceAuthorizationEndpoint),
            UserInfo = Fill(template.UserInfoEndpoint),
            JwksUri = Fill(template.JwksUri),
        };
    }

    private Result<ProviderEndpoints?> ParseEndpoints(EndpointsInput input, Uri? discoveredToken)
    {
        var authorization = ProviderRules.ParseEndpoint(input.Authorization, "endpoints.authorization", policy);
        var token = ProviderRules.ParseEndpoint(input.Token, "endpoints.token", policy);
        var revocation = ProviderRules.ParseEndpoint(input.Revocation, "endpoints.revocation", policy);
        var device = ProviderRules.ParseEndpoint(input.DeviceAuthorization, "endpoints.device_authorization", policy);
        var userInfo = ProviderRules.ParseEndpoint(input.UserInfo, "endpoints.userinfo", policy);
        var jwks = ProviderRules.ParseEndpoint(input.JwksUri, "endpoints.jwks_uri", policy);
        if ((authorization.Error ?? token.Error ?? revocation.Error ?? device.Error ?? userInfo.Error ?? jwks.Error) is { } error)
        {
            return error;
        }

        var tokenUri = token.Value ?? discoveredToken;
        if (tokenUri is null)
        {
            return HubError.Invalid(CommonErrors.MissingField, "endpoints.token is required without an issuer.", "endpoints.token");
        }

        return new ProviderEndpoints
        {
            Authorization = authorization.Value,
            Token = tokenUri,
            Revocation = revocation.Value,
            DeviceAuthorization = device.Value,
            UserInfo = userInfo.Value,
            JwksUri = jwks.Value,
        };
    }

    /// <summary>The settings every provider has, from a create's or a patch's members; endpoints and the rules re-checked.</summary>
    private async Task<Result<OAuthProvider>> ApplyAsync(OAuthProvider current, ProviderInput change, CancellationToken cancellationToken)
    {
        var template = ProviderTemplates.Find(current.TemplateId);
        if (template is not null && (change.Issuer is not null || change.Endpoints is not null || change.ScopeSeparator is not null))
        {
            return HubError.Invalid(ProviderErrors.TemplateFixedField, "A provider from a template keeps the template's issuer, endpoints and scope separator.",
                change.Issuer is not null ? "issuer" : change.Endpoints is not null ? "endpoints" : "scope_separator");
        }

        if (template is { PkceRequired: true } && change.UsePkce == false)
        {
            return HubError.Invalid(ProviderErrors.InvalidProviderSetting, $"{template.DisplayName} requires PKCE: use_pkce cannot be false.", "use_pkce");
        }

        var method = ProviderRules.ParseClientAuthentication(change.ClientAuthentication);
        if (!method.IsSuccess)
        {
            return method.Error;
        }

        if (((change.Name is null ? null : ProviderRules.ValidateName(change.Name))
            ?? (change.ClientId is null ? null : ProviderRules.ValidateClientId(change.ClientId))
            ?? ProviderRules.ValidateScopeSeparator(change.ScopeSeparator)
            ?? ProviderRules.ValidateExtraParameters(change.ExtraAuthorizationParameters, "extra_authorization_parameters")
            ?? ProviderRules.ValidateExtraParameters(change.ExtraTokenParameters, "extra_token_parameters")) is { } error)
        {
            return error;
        }

        if (change.ClientSecret is not null && change.ClientSecretRef is not null)
        {
            return HubError.Invalid(ProviderErrors.ClientSecretConflict, "Give client_secret (a value) or client_secret_ref (an existing secret's name), not both.", "client_secret");
        }

        var updated = current with
        {
            Name = change.Name ?? current.Name,
            ClientId = change.ClientId ?? current.ClientId,
            ClientAuthentication = method.Value ?? current.ClientAuthentication,
            PrivateKeyRef = change.PrivateKeyRef ?? current.PrivateKeyRef,
            DefaultScopes = change.DefaultScopes?.ToList() ?? current.DefaultScopes,
            ScopeSeparator = change.ScopeSeparator ?? current.ScopeSeparator,
            UsePkce = change.UsePkce ?? current.UsePkce,
            RefreshSkew = change.RefreshSkewSeconds is { } skew ? TimeSpan.FromSeconds(skew) : current.RefreshSkew,
            ExtraAuthorizationParameters = change.ExtraAuthorizationParameters is { } extraAuth
                ? new Dictionary<string, string>(extraAuth, StringComparer.Ordinal) : current.ExtraAuthorizationParameters,
            ExtraTokenParameters = change.ExtraTokenParameters is { } extraToken
                ? new Dictionary<string, string>(extraToken, StringComparer.Ordinal) : current.ExtraTokenParameters,
            ClientSecretExpiresAt = change.ClientSecretExpiresAt ?? current.ClientSecretExpiresAt,
            DefaultTokenLifetime = change.DefaultTokenLifetimeSeconds is { } lifetime ? TimeSpan.FromSeconds(lifetime) : current.DefaultTokenLifetime,
        };

        if (change.Issuer is not null || change.Endpoints is not null)
        {
            var issuer = ProviderRules.ParseEndpoint(change.Issuer, "issuer", policy);
            if (!issuer.IsSuccess)
            {
                return issuer.Error;
            }

            var newIssuer = issuer.Value ?? updated.Issuer;
            Uri? discoveredToken = null;
            if (newIssuer is not null)
            {
                var discovered = await metadata.DiscoverAsync(newIssuer, cancellationToken).ConfigureAwait(false);
                if (!discovered.IsSuccess)
                {
                    return HubError.Invalid(ProviderErrors.DiscoveryFailed, $"The issuer's metadata could not be read: {discovered.Error.Message}", "issuer");
                }

                discoveredToken = discovered.Value.Token;
            }

            var endpoints = change.Endpoints is null ? Result.Success(updated.Endpoints) : ParseEndpoints(change.Endpoints, discoveredToken);
            if (!endpoints.IsSuccess)
            {
                return endpoints.Error;
            }

            updated = updated with { Issuer = newIssuer, Endpoints = endpoints.Value };
        }

        if (updated.Endpoints is { } all && ProviderRules.ValidateEndpoints(all, policy) is { } insecure)
        {
            return insecure;
        }

        if (updated.ClientAuthentication == ClientAuthenticationMethod.PrivateKeyJwt && updated.PrivateKeyRef is null)
        {
            return HubError.Invalid(CommonErrors.MissingField, "private_key_ref is required with client_authentication private_key_jwt.", "private_key_ref");
        }

        if (change.PrivateKeyRef is { } keyRef && (!SecretRules.IsValidName(keyRef) || SecretRules.IsHubManaged(keyRef)
            || !(await vault.GetAsync(new SecretLocation(current.OrganizationId, current.ProjectId, keyRef), cancellationToken).ConfigureAwait(false)).IsSuccess))
        {
            return HubError.Invalid(ProviderErrors.ClientSecretNotFound, $"The project has no secret named '{keyRef}'.", "private_key_ref");
        }

        return ProviderRules.ValidateScopes(updated.DefaultScopes, updated.ScopeSeparator)
            ?? ProviderRules.ValidateRefreshSkew(updated.RefreshSkew)
            ?? ProviderRules.ValidateTokenLifetime(updated.DefaultTokenLifetime)
            ?? (Result<OAuthProvider>)updated;
    }

    /// <summary>
    /// The client secret the provider will name: a value sealed into its generated secret (a new version when that
    /// secret exists), or an existing secret's name, checked to exist. Null when neither is given.
    /// </summary>
    private async Task<Result<string?>> ResolveSecretAsync(Project project, OAuthProvider provider, ProviderInput input, string actor, CancellationToken cancellationToken)
    {
        if (input.ClientSecretRef is { } reference)
        {
            // A hub-managed secret (a connection's tokens) sent as a client secret would leave for any token endpoint.
            if (!SecretRules.IsValidName(reference) || SecretRules.IsHubManaged(reference))
            {
                return HubError.Invalid(CommonErrors.InvalidName, "client_secret_ref must be the name of one of the project's own secrets.", "client_secret_ref");
            }

            var existing = await vault.GetAsync(new SecretLocation(project.OrganizationId, project.Id, reference), cancellationToken).ConfigureAwait(false);
            return existing.IsSuccess
                ? reference
                : HubError.Invalid(ProviderErrors.ClientSecretNotFound, $"The project has no secret named '{reference}'.", "client_secret_ref");
        }

        if (input.ClientSecret is not { } value)
        {
            return Result.Success(provider.ClientSecretRef);
        }

        var name = GeneratedSecretName(provider.Id);
        var secretInput = new SecretInput(value, $"Client secret of OAuth provider {provider.Name}", null, SecretAuthTypes.OAuthClient, null);
        var updated = await vault.UpdateAsync(new SecretLocation(project.OrganizationId, project.Id, name), secretInput, null, actor, cancellationToken).ConfigureAwait(false);
        if (updated.IsSuccess)
        {
            return name;
        }

        if (updated.Error.Kind != ErrorKind.NotFound)
        {
            return FieldOf(updated.Error);
        }

        var created = await vault.CreateAsync(project, name, secretInput, actor, cancellationToken).ConfigureAwait(false);
        return created.IsSuccess ? name : FieldOf(created.Error);
    }

    /// <summary>A vault error about the secret's value, reported against client_secret (its message names no value).</summary>
    private static HubError FieldOf(HubError error) => error with { Field = error.Field == "value" ? "client_secret" : error.Field };

    private async Task RemoveGeneratedSecretAsync(Project project, string providerId, string actor, CancellationToken cancellationToken)
    {
        var location = new SecretLocation(project.OrganizationId, project.Id, GeneratedSecretName(providerId));
        if ((await vault.DeleteAsync(location, actor, cancellationToken).ConfigureAwait(false)).IsSuccess)
        {
            await vault.PurgeAsync(location, actor, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> NameTakenAsync(Project project, OAuthProvider provider, CancellationToken cancellationToken)
    {
        // Providers per project are few (a page of 100 covers them); the store's name claim decided, this only words the answer.
        var all = await store.ListAsync(project.OrganizationId, project.Id, new PageRequest(1, PageRequest.MaxPerPage), cancellationToken).ConfigureAwait(false);
        return all.Items.Any(p => p.Id != provider.Id && string.Equals(p.Name, provider.Name, StringComparison.Ordinal));
    }
}
