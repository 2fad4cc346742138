using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Integrations.Api.Pipeline;

/// <summary>
/// The <c>Authorization: Bearer …</c> credential, and which authenticator it belongs to. API keys and the admin key are
/// opaque strings (<c>ihk_…</c>); an access token is a compact JWS whose first segment is base64url JSON, so it starts with
/// <c>eyJ</c> (<c>{"</c>) and has exactly two dots. Each credential has exactly one owner: <see cref="ApiKeyAuthenticator"/>
/// declines the JWT shape and <see cref="Identity.JwtAuthenticator"/> takes only it — so a token is never hashed and
/// looked up as an API key (no storage read, no unknown-key cache entry for it), and an API key is never parsed as a JWT.
/// </summary>
public static class BearerCredential
{
    private const string Scheme = "Bearer ";

    /// <summary>The credential after <c>Bearer </c>, trimmed; false when the request has no bearer credential.</summary>
    public static bool TryRead(HttpContext context, out string credential)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers[HeaderNames.Authorization].ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            credential = string.Empty;
            return false;
        }

        credential = header[Scheme.Length..].Trim();
        return true;
    }

    /// <summary>True when <paramref name="credential"/> has the shape of a compact JWS (an access token).</summary>
    public static bool IsAccessTokenShaped(string credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return credential.StartsWith("eyJ", StringComparison.Ordinal) && credential.AsSpan().Count('.') == 2;
    }
}
