using Integrations.Core.OAuth;

namespace Integrations.Core.Tests.OAuth;

public sealed class ProviderRecordsTests
{
    [Fact]
    public void ProviderInput_ToString_DoesNotPrintTheClientSecret()
    {
        var input = new ProviderInput { Name = "p", ClientId = "id", ClientSecret = "s3cr3t-client-value" };

        Assert.DoesNotContain("s3cr3t-client-value", input.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AuthorizationRequest_ToString_DoesNotPrintStateVerifierOrNonce()
    {
        var request = new AuthorizationRequest(new Uri("https://idp.example.com/authorize?state=STATEVALUE&code_challenge=c"), "STATEVALUE", "VERIFIERVALUE", "NONCEVALUE", ["openid"]);

        var text = request.ToString();

        Assert.DoesNotContain("STATEVALUE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("VERIFIERVALUE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("NONCEVALUE", text, StringComparison.Ordinal);
    }
}
