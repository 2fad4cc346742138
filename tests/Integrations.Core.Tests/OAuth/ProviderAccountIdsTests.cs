using Integrations.Core.Connections;
using Integrations.Core.OAuth;
using Integrations.Core.OAuth.Protocol;

namespace Integrations.Core.Tests.OAuth;

public sealed class ProviderAccountIdsTests
{
    [Fact]
    public void Capture_SlackTokenResponse_KeepsWorkspaceUserAndBotIds()
    {
        // https://api.slack.com/methods/oauth.v2.access: nested members arrive flattened as parent.child (the protocol client's Extra).
        var response = Response(("team.id", "T9TK3CUKW"), ("team.name", "Slack Softball Team"), ("authed_user.id", "U1234"), ("bot_user_id", "U0KRQLJ9H"), ("app_id", "A0KRD7HC3"));

        var ids = ProviderAccountIds.Capture("slack", response, account: null);

        Assert.Equal(new Dictionary<string, string>
        {
            [ProviderAccountIds.TeamId] = "T9TK3CUKW", [ProviderAccountIds.UserId] = "U1234", [ProviderAccountIds.BotUserId] = "U0KRQLJ9H",
        }, ids);
    }

    [Fact]
    public void Capture_StripeConnectTokenResponse_KeepsTheConnectedAccount()
    {
        var ids = ProviderAccountIds.Capture("stripe-connect", Response(("stripe_user_id", "acct_1032D82eZvKYlo2C"), ("livemode", "False")), account: null);

        Assert.Equal("acct_1032D82eZvKYlo2C", Assert.Single(ids, i => i.Key == ProviderAccountIds.StripeUserId).Value);
    }

    [Fact]
    public void Capture_GitHubWithInstallationCallback_KeepsInstallationAndSubject_AndAReconsentKeepsTheInstallation()
    {
        var first = ProviderAccountIds.Capture("github", Response((ProviderAccountIds.CallbackPrefix + "installation_id", "4242")), new ConnectedAccount("583231", null, null));
        var again = ProviderAccountIds.Capture("github", Response(), new ConnectedAccount("583231", null, null), first);

        Assert.Equal(("4242", "583231"), (first[ProviderAccountIds.InstallationId], first[ProviderAccountIds.UserId]));
        Assert.Equal(first, again);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("google")]
    public void Capture_ProviderWithoutIds_KeepsNothing(string? templateId)
    {
        Assert.Empty(ProviderAccountIds.Capture(templateId, Response(("team.id", "T1"), ("stripe_user_id", "acct_1")), new ConnectedAccount("sub", null, null)));
    }

    [Theory]
    [InlineData("T1 with spaces")]
    [InlineData("")]
    [InlineData("<script>")]
    public void Capture_ValueThatIsNoId_IsLeftOut(string value)
    {
        Assert.Empty(ProviderAccountIds.Capture("slack", Response(("team.id", value)), account: null));
    }

    [Fact]
    public void Capture_OverlongValue_IsLeftOut()
    {
        Assert.Empty(ProviderAccountIds.Capture("slack", Response(("team.id", new string('T', ProviderAccountIds.MaxValueLength + 1))), account: null));
    }

    private static TokenResponse Response(params (string Name, string Value)[] extra) =>
        new("access", "Bearer", null, null, null, null) { Extra = extra.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal) };
}
