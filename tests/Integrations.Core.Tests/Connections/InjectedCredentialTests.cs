using Integrations.Core.Connections;

namespace Integrations.Core.Tests.Connections;

public sealed class InjectedCredentialTests
{
    [Fact]
    public void ToString_ShowsWhereButNeverTheValue()
    {
        var credential = new InjectedCredential(CredentialTarget.Header, "Authorization", "Bearer sk_live_very_secret");

        var printed = $"{credential}";

        Assert.DoesNotContain("sk_live_very_secret", printed, StringComparison.Ordinal);
        Assert.Contains("Authorization", printed, StringComparison.Ordinal);
        Assert.Contains("Header", printed, StringComparison.Ordinal);
    }
}
