using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Core.Identity.Tokens;
using Microsoft.Extensions.Logging;
using static Integrations.Core.Tests.Identity.Tokens.TokenInstance;

namespace Integrations.Core.Tests.Identity.Tokens;

/// <summary>Issue → validate, and every way an attacker reshapes a token: each refused with its reason, none by accident.</summary>
public sealed class AccessTokenValidatorTests
{
    [Fact]
    public async Task Validate_TokenTheIssuerMade_ReturnsPrincipalWithEveryClaim()
    {
        using var hub = new TokenInstance();
        var issued = await hub.IssueAsync("admin");

        var result = await hub.Validator.ValidateAsync(issued.Token);

        Assert.True(result.Succeeded, result.Failure.ToString());
        var principal = result.Principal!;
        Assert.Equal(("usr_alice", "org_acme", "admin", "ses_one"), (principal.UserId, principal.OrganizationId, principal.Role, principal.SessionId));
        Assert.Equal(issued.TokenId, principal.TokenId);
        Assert.Equal(issued.KeyId, principal.KeyId);
        Assert.Equal(Start, principal.IssuedAt);
        Assert.Equal(Start.AddHours(2), principal.ExpiresAt);
    }

    [Fact]
    public async Task Issue_WritesAnEs256AtJwtWithTheKidAndEveryClaim()
    {
        using var hub = new TokenInstance();

        var issued = await hub.IssueAsync();

        var parts = issued.Token.Split('.');
        Assert.Equal(3, parts.Length);
        Assert.Equal($$"""{"alg":"ES256","kid":"{{issued.KeyId}}","typ":"at+jwt"}""", Decode(parts[0]));
        var claims = JsonNode.Parse(Decode(parts[1]))!.AsObject();
        Assert.Equal(["iss", "aud", "sub", "org", "role", "sid", "jti", "iat", "exp"], claims.Select(c => c.Key));
        Assert.Equal(Issuer, (string?)claims["iss"]);
        Assert.Equal("integrations-hub", (string?)claims["aud"]);
        Assert.Equal(7200, (long)claims["exp"]! - (long)claims["iat"]!);
        Assert.Equal(64, Base64Url.DecodeFromChars(parts[2]).Length);
        Assert.DoesNotContain(issued.Token, issued.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_TwoTokens_HaveDifferentTokenIds()
    {
        using var hub = new TokenInstance();

        var first = await hub.IssueAsync();
        var second = await hub.IssueAsync();

        Assert.NotEqual(first.TokenId, second.TokenId);
    }

    [Fact]
    public async Task Validate_AlgNone_IsRefused()
    {
        using var hub = new TokenInstance();
        var kid = (await hub.IssueAsync()).KeyId;
        var unsigned = B64(Header(kid, alg: "none")) + "." + B64(Payload(Start.ToUnixTimeSeconds()));

        Assert.Equal(AccessTokenFailure.Malformed, await hub.RefusalOf(unsigned + "."));
        Assert.Equal(AccessTokenFailure.AlgorithmNotAllowed, await hub.RefusalOf(unsigned + ".AAAA"));
    }

    [Fact]
    public async Task Validate_Hs256SignedWithThePublicKey_IsRefused()
    {
        using var hub = new TokenInstance();
        var kid = (await hub.IssueAsync()).KeyId;
        var set = await hub.Keys.GetAsync();
        // The classic confusion: a verifier that takes "alg" from the header would use the published key as an HMAC secret.
        foreach (var secret in new[] { Encoding.UTF8.GetBytes(set.JwksJson), Base64Url.DecodeFromChars(set.Signer.X) })
        {
            var input = B64(Header(kid, alg: "HS256")) + "." + B64(Payload(Start.ToUnixTimeSeconds()));
            var token = input + "." + Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));

            Assert.Equal(AccessTokenFailure.AlgorithmNotAllowed, await hub.RefusalOf(token));
        }
    }

    [Fact]
    public async Task Validate_Rs256_IsRefused()
    {
        using var hub = new TokenInstance();
        var kid = (await hub.IssueAsync()).KeyId;
        using var rsa = RSA.Create(2048);
        var input = B64(Header(kid, alg: "RS256")) + "." + B64(Payload(Start.ToUnixTimeSeconds()));
        var token = input + "." + Base64Url.EncodeToString(rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        Assert.Equal(AccessTokenFailure.AlgorithmNotAllowed, await hub.RefusalOf(token));
    }

    [Fact]
    public async Task Validate_SignedByAnotherP256KeyUnderTheHubsKid_IsRefused()
    {
        using var hub = new TokenInstance();
        var kid = (await hub.IssueAsync()).KeyId;
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var forged = Sign(Header(kid), Payload(Start.ToUnixTimeSeconds()), attacker);

        Assert.Equal(AccessTokenFailure.BadSignature, await hub.RefusalOf(forged));
    }

    [Fact]
    public async Task Validate_UnknownKid_IsRefused()
    {
        using var hub = new TokenInstance();
        await hub.IssueAsync();
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var forged = Sign(Header("atk_attackeraaaaaaaaaaaa"), Payload(Start.ToUnixTimeSeconds()), attacker);

        Assert.Equal(AccessTokenFailure.UnknownKey, await hub.RefusalOf(forged));
    }

    [Fact]
    public async Task Validate_PayloadChangedAfterSigning_IsRefused()
    {
        using var hub = new TokenInstance();
        var parts = (await hub.IssueAsync("viewer")).Token.Split('.');
        var promoted = B64(Decode(parts[1]).Replace("\"viewer\"", "\"owner\"", StringComparison.Ordinal));
        // One character of the payload changed to another base64url character.
        var flipped = parts[1][..10] + (parts[1][10] == 'A' ? 'B' : 'A') + parts[1][11..];

        Assert.Equal(AccessTokenFailure.BadSignature, await hub.RefusalOf($"{parts[0]}.{promoted}.{parts[2]}"));
        Assert.Equal(AccessTokenFailure.BadSignature, await hub.RefusalOf($"{parts[0]}.{flipped}.{parts[2]}"));
    }

    [Fact]
    public async Task Validate_AtExpiryPlusSkew_IsRefused_AndJustBeforeIsAccepted()
    {
        using var hub = new TokenInstance();
        var token = (await hub.IssueAsync()).Token;

        hub.Time.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(29));
        var justBefore = await hub.Validator.ValidateAsync(token);
        hub.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(justBefore.Succeeded);
        Assert.Equal(AccessTokenFailure.Expired, await hub.RefusalOf(token));
    }

    [Fact]
    public async Task Validate_IssuedFurtherInTheFutureThanTheSkew_IsRefused()
    {
        using var validating = new TokenInstance();
        await validating.IssueAsync();
        // Another instance whose clock runs a minute ahead issues the token.
        using var ahead = validating.Sibling(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start.AddMinutes(1)));
        var token = (await ahead.IssueAsync()).Token;

        Assert.Equal(AccessTokenFailure.NotYetValid, await validating.RefusalOf(token));
    }

    [Fact]
    public async Task Validate_IssuedWithinTheSkewAhead_IsAccepted()
    {
        using var validating = new TokenInstance();
        await validating.IssueAsync();
        using var ahead = validating.Sibling(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start.AddSeconds(20)));
        var token = (await ahead.IssueAsync()).Token;

        Assert.True((await validating.Validator.ValidateAsync(token)).Succeeded);
    }

    [Fact]
    public async Task Validate_TokenForAnotherAudience_IsRefused()
    {
        using var hub = new TokenInstance();
        await hub.IssueAsync();
        using var other = hub.Sibling(configure: o => o.Audience = "another-app");

        Assert.Equal(AccessTokenFailure.WrongAudience, await hub.RefusalOf((await other.IssueAsync()).Token));
    }

    [Fact]
    public async Task Validate_TokenFromAnotherIssuer_IsRefused()
    {
        using var hub = new TokenInstance();
        await hub.IssueAsync();
        using var other = hub.Sibling(configure: o => o.Issuer = "https://evil.example.com");

        Assert.Equal(AccessTokenFailure.WrongIssuer, await hub.RefusalOf((await other.IssueAsync()).Token));
    }

    [Theory]
    [InlineData("sub")]
    [InlineData("org")]
    [InlineData("role")]
    [InlineData("sid")]
    [InlineData("jti")]
    [InlineData("iat")]
    [InlineData("exp")]
    [InlineData("iss")]
    [InlineData("aud")]
    public async Task Validate_SignedByTheHubButMissingAClaim_IsRefused(string claim)
    {
        using var hub = new TokenInstance();
        var (kid, key) = await hub.HubSigningKeyAsync();
        using var _ = key;

        var token = Sign(Header(kid), Payload(Start.ToUnixTimeSeconds(), omit: claim), key);

        Assert.Equal(AccessTokenFailure.MissingClaim, await hub.RefusalOf(token));
    }

    [Fact]
    public async Task Validate_SignedByTheHubWithEveryClaim_IsAccepted()
    {
        using var hub = new TokenInstance();
        var (kid, key) = await hub.HubSigningKeyAsync();
        using var _ = key;

        var token = Sign(Header(kid), Payload(Start.ToUnixTimeSeconds()), key);

        Assert.True((await hub.Validator.ValidateAsync(token)).Succeeded);
    }

    [Theory]
    [InlineData(",\"role\":\"owner\"", AccessTokenFailure.Malformed)] // A duplicate claim: which one a reader takes is ambiguous.
    [InlineData(",\"nested\":{\"a\":[1,2]}", AccessTokenFailure.None)] // Unknown claims are ignored.
    public async Task Validate_SignedByTheHubWithExtraMembers(string extra, AccessTokenFailure expected)
    {
        using var hub = new TokenInstance();
        var (kid, key) = await hub.HubSigningKeyAsync();
        using var _ = key;

        var result = await hub.Validator.ValidateAsync(Sign(Header(kid), Payload(Start.ToUnixTimeSeconds(), extra: extra), key));

        Assert.Equal(expected, result.Failure);
    }

    [Fact]
    public async Task Validate_SignedByTheHubForLongerThanTheLifetime_IsRefused()
    {
        using var hub = new TokenInstance();
        var (kid, key) = await hub.HubSigningKeyAsync();
        using var _ = key;
        var now = Start.ToUnixTimeSeconds();

        Assert.Equal(AccessTokenFailure.InvalidLifetime, await hub.RefusalOf(Sign(Header(kid), Payload(now, exp: now + 7201), key)));
        Assert.Equal(AccessTokenFailure.InvalidLifetime, await hub.RefusalOf(Sign(Header(kid), Payload(now, exp: now), key)));
    }

    [Fact]
    public async Task Validate_HeaderWithAnEmbeddedKeyOrOtherMemberOrder_IsRefused()
    {
        using var hub = new TokenInstance();
        var (kid, key) = await hub.HubSigningKeyAsync();
        using var _ = key;
        var payload = Payload(Start.ToUnixTimeSeconds());

        var withJwk = Sign($$$"""{"alg":"ES256","kid":"{{{kid}}}","typ":"at+jwt","jwk":{"kty":"EC"}}""", payload, key);
        var reordered = Sign($$"""{"kid":"{{kid}}","alg":"ES256","typ":"at+jwt"}""", payload, key);
        var duplicateAlg = Sign($$"""{"alg":"ES256","alg":"none","kid":"{{kid}}","typ":"at+jwt"}""", payload, key);
        var wrongType = Sign(Header(kid, typ: "JWT"), payload, key);

        Assert.Equal(AccessTokenFailure.Malformed, await hub.RefusalOf(withJwk));
        Assert.Equal(AccessTokenFailure.Malformed, await hub.RefusalOf(reordered));
        Assert.Equal(AccessTokenFailure.Malformed, await hub.RefusalOf(duplicateAlg));
        Assert.Equal(AccessTokenFailure.WrongType, await hub.RefusalOf(wrongType));
    }

    [Fact]
    public async Task Validate_TwoOrFourSegmentsOrEmptyOnes_AreRefused()
    {
        using var hub = new TokenInstance();
        var parts = (await hub.IssueAsync()).Token.Split('.');

        foreach (var token in new[]
        {
            $"{parts[0]}.{parts[1]}", $"{parts[0]}.{parts[1]}.{parts[2]}.{parts[2]}", $"{parts[0]}..{parts[2]}", $".{parts[1]}.{parts[2]}",
            $"{parts[0]}.{parts[1]}.", "", "...",
        })
        {
            Assert.Equal(AccessTokenFailure.Malformed, await hub.RefusalOf(token));
        }
    }

    [Fact]
    public async Task Validate_PaddingWhitespaceOrANonCanonicalSignature_IsRefused()
    {
        using var hub = new TokenInstance();
        var token = (await hub.IssueAsync()).Token;
        var parts = token.Split('.');
        // The last signature character carries 4 unused bits: setting one gives another spelling of the same 64 bytes.
        var last = parts[2][^1];
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var sameBytes = parts[2][..^1] + alphabet[alphabet.IndexOf(last, StringComparison.Ordinal) | 1];

        Assert.Equal(AccessTokenFailure.Malformed, await hub.RefusalOf(token + "=="));
        Assert.Equal(AccessTokenFailure.Malformed, await hub.RefusalOf($"{parts[0]}=.{parts[1]}.{parts[2]}"));
        Assert.Equal(AccessTokenFailure.Malformed, await hub.RefusalOf($"{parts[0]}.{parts[1]}==.{parts[2]}"));
        Assert.Equal(AccessTokenFailure.Malformed, await hub.RefusalOf(" " + token));
        Assert.Equal(AccessTokenFailure.Malformed, await hub.RefusalOf($"{parts[0]}.{parts[1]}.{sameBytes}"));
        // Standard base64's alphabet ('+', '/') is not base64url's.
        Assert.Equal(AccessTokenFailure.Malformed, await hub.RefusalOf($"{parts[0]}.{parts[1]}.+{parts[2][1..]}"));
        Assert.Equal(AccessTokenFailure.Malformed, await hub.RefusalOf($"{parts[0]}.{parts[1]}./{parts[2][1..]}"));
    }

    [Fact]
    public async Task Validate_DerEncodedSignature_IsRefused()
    {
        using var hub = new TokenInstance();
        var (kid, key) = await hub.HubSigningKeyAsync();
        using var _ = key;
        var input = B64(Header(kid)) + "." + B64(Payload(Start.ToUnixTimeSeconds()));
        var der = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        Assert.Equal(AccessTokenFailure.Malformed, await hub.RefusalOf(input + "." + Base64Url.EncodeToString(der)));
    }

    [Fact]
    public async Task Validate_TamperedCopyOfATokenVerifiedBefore_IsStillRefused()
    {
        using var hub = new TokenInstance();
        var token = (await hub.IssueAsync("viewer")).Token;
        var parts = token.Split('.');
        var promoted = $"{parts[0]}.{B64(Decode(parts[1]).Replace("\"viewer\"", "\"owner\"", StringComparison.Ordinal))}.{parts[2]}";

        var first = await hub.Validator.ValidateAsync(token);
        var again = await hub.Validator.ValidateAsync(token);

        Assert.True(first.Succeeded);
        Assert.Equal("viewer", again.Principal?.Role);
        Assert.Equal(AccessTokenFailure.BadSignature, await hub.RefusalOf(promoted));
        Assert.Equal(AccessTokenFailure.Malformed, await hub.RefusalOf(token + "A"));
    }

    [Fact]
    public async Task Validate_WithTheCacheOff_ValidatesEveryTime()
    {
        using var hub = new TokenInstance(configure: o => o.VerifiedTokenCacheSize = 0);
        var token = (await hub.IssueAsync()).Token;

        Assert.True((await hub.Validator.ValidateAsync(token)).Succeeded);
        Assert.True((await hub.Validator.ValidateAsync(token)).Succeeded);
        hub.Time.Advance(TimeSpan.FromHours(3));
        Assert.Equal(AccessTokenFailure.Expired, await hub.RefusalOf(token));
    }

    [Fact]
    public async Task Validate_Refusals_AreLoggedByReasonWithoutTheToken()
    {
        var logger = new CollectingLogger();
        using var hub = new TokenInstance(validatorLogger: logger);
        var parts = (await hub.IssueAsync()).Token.Split('.');
        var tampered = $"{parts[0]}.{B64(Decode(parts[1]).Replace("member", "owner", StringComparison.Ordinal))}.{parts[2]}";

        await hub.RefusalOf(tampered);

        var line = Assert.Single(logger.Lines);
        Assert.Contains("BadSignature", line, StringComparison.Ordinal);
        Assert.DoesNotContain(parts[2], line, StringComparison.Ordinal);
        Assert.DoesNotContain(parts[1][..20], line, StringComparison.Ordinal);
        Assert.Equal(9630, logger.EventIds.Single());
    }

    private sealed class CollectingLogger : ILogger<AccessTokenValidator>
    {
        public List<string> Lines { get; } = [];

        public List<int> EventIds { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Lines.Add(formatter(state, exception) + " " + state);
            EventIds.Add(eventId.Id);
        }
    }
}
