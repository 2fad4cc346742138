using Integrations.Api.Pipeline;
using Integrations.Core.Identity.Tokens;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Identity;

/// <summary><c>GET /.well-known/jwks.json</c>: the public halves of the access-token signing keys.</summary>
public sealed class JwksEndpoints(AccessTokenSigningKeys keys)
{
    /// <summary>
    /// How long a relying party may cache the set. A new signing key may sign before a cache expires, so relying parties
    /// should fetch again when they meet an unknown kid; a replaced key stays in the set for the whole token lifetime, far
    /// longer than this.
    /// </summary>
    public const string CacheControl = "public, max-age=300";

    public async Task<IResult> GetAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var set = await keys.GetAsync(cancellationToken).ConfigureAwait(false);
        // The pipeline marks every answer no-store (a vault's answers are never cached); this one is public by design.
        request.Http.Response.Headers.CacheControl = CacheControl;
        return Results.Text(set.JwksJson, "application/json");
    }
}
