using Azure.Core;
using Azure.Core.Pipeline;

namespace Integrations.Azure.KeyVault;

/// <summary>
/// Key Vault's challenge-based authentication, as the Key Vault SDK does it: the vault, not configuration,
/// says which Entra ID tenant and scope a token must be for. The first request goes without a token and
/// without its body (so no key material travels before the caller is authenticated); the vault answers 401 with
/// <c>WWW-Authenticate: Bearer authorization="https://login.microsoftonline.com/{tenant}", resource="https://vault.azure.net"</c>
/// (https://learn.microsoft.com/azure/key-vault/general/authentication-requests-and-responses#authentication);
/// the request is then sent again with its body and a token for <c>{resource}/.default</c>. The challenge is
/// cached, so later requests carry a token at once.
/// </summary>
internal sealed class KeyVaultChallengeAuthenticationPolicy : BearerTokenAuthenticationPolicy
{
    private const string StashedContentProperty = "Integrations.KeyVault.StashedContent";
    private volatile Challenge? _challenge;

    public KeyVaultChallengeAuthenticationPolicy(TokenCredential credential)
        : base(credential, Array.Empty<string>())
    {
    }

    protected override ValueTask AuthorizeRequestAsync(HttpMessage message)
    {
        if (_challenge is not { } challenge)
        {
            StashContent(message);
            return default;
        }

        RestoreContent(message);
        return AuthenticateAndAuthorizeRequestAsync(message, challenge.ToContext(message));
    }

    protected override void AuthorizeRequest(HttpMessage message)
    {
        if (_challenge is not { } challenge)
        {
            StashContent(message);
            return;
        }

        RestoreContent(message);
        AuthenticateAndAuthorizeRequest(message, challenge.ToContext(message));
    }

    protected override async ValueTask<bool> AuthorizeRequestOnChallengeAsync(HttpMessage message)
    {
        if (ReadChallenge(message) is not { } challenge)
        {
            return false;
        }

        RestoreContent(message);
        await AuthenticateAndAuthorizeRequestAsync(message, challenge.ToContext(message)).ConfigureAwait(false);
        return true;
    }

    protected override bool AuthorizeRequestOnChallenge(HttpMessage message)
    {
        if (ReadChallenge(message) is not { } challenge)
        {
            return false;
        }

        RestoreContent(message);
        AuthenticateAndAuthorizeRequest(message, challenge.ToContext(message));
        return true;
    }

    /// <summary>Reads and caches the challenge of a 401; a 401 without one (a rejected token) reuses the cached challenge.</summary>
    private Challenge? ReadChallenge(HttpMessage message)
    {
        var parameters = message.Response.Headers.TryGetValue(HttpHeader.Names.WwwAuthenticate, out var header)
            ? BearerChallenge.Parse(header)
            : null;
        var scope = parameters?.GetValueOrDefault("resource") is { Length: > 0 } resource
            ? resource.TrimEnd('/') + "/.default"
            : parameters?.GetValueOrDefault("scope");
        if (string.IsNullOrEmpty(scope))
        {
            return _challenge;
        }

        VerifyResource(scope, message.Request.Uri.Host ?? string.Empty);
        var authorization = parameters!.GetValueOrDefault("authorization") ?? parameters!.GetValueOrDefault("authorization_uri");

        // The tenant is the first path segment of the authority: https://login.microsoftonline.com/{tenant}.
        string? tenantId = null;
        if (Uri.TryCreate(authorization, UriKind.Absolute, out var authority) && authority.Segments.Length > 1)
        {
            tenantId = authority.Segments[1].Trim('/');
        }

        var challenge = new Challenge([scope], string.IsNullOrEmpty(tenantId) ? null : tenantId);
        _challenge = challenge;
        return challenge;
    }

    /// <summary>
    /// A token must only be requested for the vault's own service: the challenge's resource host must be the vault's
    /// host or a domain suffix of it (https://vault.azure.net for https://myvault.vault.azure.net), as the Key Vault SDK
    /// verifies (https://aka.ms/azsdk/blog/vault-uri). Otherwise a server posing as the vault could obtain a token
    /// for another resource. Unlike a bare suffix test, the match must fall on a label boundary.
    /// </summary>
    private static void VerifyResource(string scope, string vaultHost)
    {
        if (!Uri.TryCreate(scope, UriKind.Absolute, out var scopeUri) || scopeUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException("The Key Vault authentication challenge names a resource that is not an https URI; no token was requested.");
        }

        var resourceHost = scopeUri.Host;
        if (!string.Equals(vaultHost, resourceHost, StringComparison.OrdinalIgnoreCase)
            && !vaultHost.EndsWith("." + resourceHost, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"The Key Vault authentication challenge asks for a token for '{resourceHost}', which is not the domain of the vault '{vaultHost}'; no token was requested. Check KeyWrapping:KeyId (https://aka.ms/azsdk/blog/vault-uri).");
        }
    }

    private static void StashContent(HttpMessage message)
    {
        if (message.Request.Content is { } content)
        {
            message.SetProperty(StashedContentProperty, content);
            message.Request.Content = null;
        }
    }

    private static void RestoreContent(HttpMessage message)
    {
        if (message.Request.Content is null && message.TryGetProperty(StashedContentProperty, out var stashed) && stashed is RequestContent content)
        {
            message.Request.Content = content;
        }
    }

    private sealed record Challenge(string[] Scopes, string? TenantId)
    {
        public TokenRequestContext ToContext(HttpMessage message) =>
            new(Scopes, parentRequestId: message.Request.ClientRequestId, claims: null, tenantId: TenantId);
    }
}
