using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Integrations.Core.OAuth.Protocol;
using Integrations.Http.OAuth;
using Integrations.Testing.OAuth;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Integrations.Http.Tests.OAuth;

/// <summary>Id token checks on a fake clock, with the provider's JWKS served (and rotated) by a scripted endpoint.</summary>
public sealed class IdTokenValidationTests : IAsyncLifetime
{
    private const string Issuer = "https://issuer.example.test/";
    private const string ClientId = "hub-client";
    private const string Nonce = "n-0S6_WzA2Mj";

    private readonly FakeTimeProvider _time = new(TimeProvider.System.GetUtcNow());
    // Shared by the class's tests: generating 2048-bit keys per test costs seconds on a shared machine.
    private static readonly RSA SharedKey1 = RSA.Create(2048);
    private static readonly RSA SharedKey2 = RSA.Create(2048);
    private readonly RSA _key1 = SharedKey1;
    private readonly RSA _key2 = SharedKey2;
    private ScriptedTokenEndpoint _endpoint = null!;
    private OAuthTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _endpoint = await ScriptedTokenEndpoint.StartAsync();
        _endpoint.SetDefault("/jwks", Jwks(("k1", _key1)));
        _host = OAuthTestHost.Create(_time);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _endpoint.DisposeAsync();
    }

    [Fact]
    public async Task ValidateIdToken_Valid_ReturnsTheAccount()
    {
        var result = await ValidateAsync(Token());

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(("248289761001", "jane@example.test", "Jane Doe"), (result.Value.Subject, result.Value.Email, result.Value.Name));
    }

    [Fact]
    public async Task ValidateIdToken_WrongNonce_IsRejected() => await AssertRejectedAsync(Token(nonce: "another"), "nonce");

    [Fact]
    public async Task ValidateIdToken_NoNonce_IsRejected() => await AssertRejectedAsync(Token(nonce: null), "nonce");

    [Fact]
    public async Task ValidateIdToken_WrongAudience_IsRejected() => await AssertRejectedAsync(Token(audience: "someone-else"), "audience");

    [Fact]
    public async Task ValidateIdToken_WrongIssuer_IsRejected() => await AssertRejectedAsync(Token(issuer: "https://evil.example.test/"), "issuer");

    [Fact]
    public async Task ValidateIdToken_Expired_IsRejected() => await AssertRejectedAsync(Token(lifetime: TimeSpan.FromMinutes(-10)), "expired");

    [Fact]
    public async Task ValidateIdToken_ExpiredOnlyByTheFakeClock_IsRejected()
    {
        var token = Token();
        _time.Advance(TimeSpan.FromHours(2));

        await AssertRejectedAsync(token, "expired");
    }

    [Fact]
    public async Task ValidateIdToken_AlgNone_IsRejected()
    {
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["iss"] = Issuer, ["aud"] = ClientId, ["sub"] = "x", ["nonce"] = Nonce, ["exp"] = _time.GetUtcNow().AddHours(1).ToUnixTimeSeconds(),
        }));

        await AssertRejectedAsync($"{header}.{payload}.", "algorithm");
    }

    [Fact]
    public async Task ValidateIdToken_HmacSignedWithTheKeyIdOfAPublicKey_IsRejected()
    {
        var hmac = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = "k1" };

        await AssertRejectedAsync(Token(credentials: new SigningCredentials(hmac, SecurityAlgorithms.HmacSha256)), "algorithm");
    }

    [Fact]
    public async Task ValidateIdToken_SignedByAnotherKeyWithAKnownKid_IsRejected()
    {
        using var stranger = RSA.Create(2048);

        await AssertRejectedAsync(Token(credentials: Credentials(stranger, "k1")), "signature");
    }

    [Fact]
    public async Task ValidateIdToken_NotAJwt_IsRejected() => await AssertRejectedAsync("not.a.jwt", "not a");

    [Fact]
    public async Task ValidateIdToken_UnknownKid_RefetchesTheKeySetOnce_AndThrottlesTheNextRefetch()
    {
        Assert.True((await ValidateAsync(Token())).IsSuccess);
        _endpoint.SetDefault("/jwks", Jwks(("k1", _key1), ("k2", _key2)));
        _time.Advance(JwksCache.MinimumRefetchInterval);

        using var stranger = RSA.Create(2048);

        var rotated = await ValidateAsync(Token(credentials: Credentials(_key2, "k2")));
        var fetchesAfterRotation = JwksFetches();
        var unknown = await ValidateAsync(Token(credentials: Credentials(stranger, "k3")));
        var cached = await ValidateAsync(Token());

        Assert.True(rotated.IsSuccess, rotated.Error?.Message);
        Assert.Equal(2, fetchesAfterRotation);
        Assert.False(unknown.IsSuccess);
        Assert.True(cached.IsSuccess);
        Assert.Equal(2, JwksFetches());
    }

    [Fact]
    public async Task ValidateIdToken_KeySetUnreachable_IsAProviderError()
    {
        _endpoint.SetDefault("/jwks", new ScriptedResponse(404, "<html/>", "text/html"));

        var result = await ValidateAsync(Token());

        Assert.False(result.IsSuccess);
        Assert.NotEqual(OAuthProtocolErrors.IdTokenInvalid, result.Error.Code);
    }

    private static ScriptedResponse Jwks(params (string Kid, RSA Key)[] keys)
    {
        var set = new JsonWebKeySet();
        foreach (var (kid, key) in keys)
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.ExportParameters(false)));
            jwk.Kid = kid;
            jwk.Use = "sig";
            set.Keys.Add(jwk);
        }

        return new ScriptedResponse(200, JsonSerializer.Serialize(new { keys = set.Keys.Select(k => new { kty = k.Kty, kid = k.Kid, use = k.Use, n = k.N, e = k.E }) }));
    }

    private static SigningCredentials Credentials(RSA key, string kid) => new(new RsaSecurityKey(key) { KeyId = kid }, SecurityAlgorithms.RsaSha256);

    private int JwksFetches() => _endpoint.Requests.Count(r => r.Path == "/jwks");

    private string Token(string? nonce = Nonce, string audience = ClientId, string issuer = Issuer, TimeSpan? lifetime = null, SigningCredentials? credentials = null)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>(StringComparer.Ordinal) { ["email"] = "jane@example.test", ["name"] = "Jane Doe" };
        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        var expires = now + (lifetime ?? TimeSpan.FromHours(1));
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", "248289761001")]),
            Claims = claims,
            IssuedAt = expires < now ? expires.AddMinutes(-5) : now,
            Expires = expires,
            SigningCredentials = credentials ?? Credentials(_key1, "k1"),
        });
    }

    private Task<Core.Common.Result<Core.Connections.ConnectedAccount>> ValidateAsync(string token) =>
        _host.Protocol.ValidateIdTokenAsync(token, new IdTokenExpectations(_endpoint.Url("/jwks"), Issuer, ClientId, Nonce, "circuit-jwks"));

    private async Task AssertRejectedAsync(string token, string reason)
    {
        var result = await ValidateAsync(token);

        Assert.False(result.IsSuccess);
        Assert.Equal(OAuthProtocolErrors.IdTokenInvalid, result.Error.Code);
        Assert.Contains(reason, result.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, result.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, _host.AllLogText, StringComparison.Ordinal);
    }
}
