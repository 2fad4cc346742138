using Integrations.Core.OAuth;

namespace Integrations.Core.Tests.OAuth;

public sealed class PkceTests
{
    [Fact]
    public void ChallengeOf_Rfc7636AppendixBVerifier_GivesTheRfcsChallenge()
    {
        // RFC 7636 Appendix B.
        var challenge = Pkce.ChallengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", challenge);
    }

    [Fact]
    public void Create_Twice_GivesDistinctValidVerifiersWithMatchingChallenges()
    {
        var first = Pkce.Create();
        var second = Pkce.Create();

        Assert.NotEqual(first.CodeVerifier, second.CodeVerifier);
        Assert.True(Pkce.IsValidVerifier(first.CodeVerifier));
        Assert.Equal(43, first.CodeVerifier.Length); // 32 random bytes, base64url without padding
        Assert.Equal(Pkce.ChallengeOf(first.CodeVerifier), first.CodeChallenge);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX+")]
    public void ChallengeOf_InvalidVerifier_Throws(string verifier) => Assert.Throws<ArgumentException>(() => Pkce.ChallengeOf(verifier));

    [Fact]
    public void ToString_DoesNotPrintTheVerifier()
    {
        var pkce = Pkce.Create();

        Assert.DoesNotContain(pkce.CodeVerifier, pkce.ToString(), StringComparison.Ordinal);
    }
}
