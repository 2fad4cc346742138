using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Core.Identity.Tokens;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Identity;

/// <summary>
/// <c>GET /.well-known/jwks.json</c> over the real Server: public, cacheable, EC public keys only, and a relying party that
/// knows nothing but this document verifies the tokens the hub issues.
/// </summary>
public sealed class JwksApiTests(HubFixture hub) : IClassFixture<HubFixture>
{
    [Fact]
    public async Task Jwks_WithoutCredentials_ReturnsCacheablePublicEcKeys()
    {
        using var anonymous = hub.Client();

        var response = await anonymous.GetAsync("/.well-known/jwks.json");
        var jwks = await Json(response, HttpStatusCode.OK);

        Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        // One key, or two when the rotation test of this class ran first.
        var keys = jwks["keys"]!.AsArray().Select(k => k!.AsObject()).ToList();
        Assert.InRange(keys.Count, 1, 2);
        Assert.All(keys, key =>
        {
            Assert.Equal(["kty", "crv", "x", "y", "kid", "use", "alg"], key.Select(m => m.Key));
            Assert.Equal(("EC", "P-256", "sig", "ES256"), ((string?)key["kty"], (string?)key["crv"], (string?)key["use"], (string?)key["alg"]));
            Assert.Equal(32, Base64Url.DecodeFromChars((string)key["y"]!).Length);
        });
    }

    [Fact]
    public async Task Jwks_VerifiesATokenTheIssuerMade_AndNotATamperedOne()
    {
        var issued = await hub.Services.GetRequiredService<AccessTokenIssuer>().IssueAsync(new AccessTokenClaims("usr_a", "org_a", "member", "ses_a"));
        using var anonymous = hub.Client();

        var jwks = await Json(await anonymous.GetAsync("/.well-known/jwks.json"), HttpStatusCode.OK);

        var jwk = jwks["keys"]!.AsArray().Single(k => (string?)k!["kid"] == issued.KeyId)!;
        using var verifier = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars((string)jwk["x"]!), Y = Base64Url.DecodeFromChars((string)jwk["y"]!) },
        });
        var parts = issued.Token.Split('.');
        var signature = Base64Url.DecodeFromChars(parts[2]);
        Assert.True(verifier.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), signature, HashAlgorithmName.SHA256));
        Assert.False(verifier.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}x"), signature, HashAlgorithmName.SHA256));
    }

    [Fact]
    public async Task Jwks_AfterARotation_ListsTheNewAndTheOldKey()
    {
        var before = (await hub.Services.GetRequiredService<AccessTokenSigningKeys>().GetAsync()).Signer.Id;

        var (newKid, previousKid) = await hub.Services.GetRequiredService<AccessTokenKeyLifecycle>().RotateAsync();
        using var anonymous = hub.Client();
        var jwks = await Json(await anonymous.GetAsync("/.well-known/jwks.json"), HttpStatusCode.OK);

        var kids = jwks["keys"]!.AsArray().Select(k => (string)k!["kid"]!).ToList();
        Assert.Equal(before, previousKid);
        Assert.Equal(newKid, kids[0]);
        Assert.Contains(previousKid, kids);
    }
}
