using System.Text;
using Integrations.Core.OAuth;
using Integrations.Core.Webhooks;
using Integrations.Core.Webhooks.Consent;

namespace Integrations.Core.Tests.Webhooks.Consent;

/// <summary>Each provider's documented example payload, read into the accounts whose consent it withdraws.</summary>
public sealed class ConsentEventsTests
{
    // https://api.slack.com/events/tokens_revoked (the documented example, ids filled in).
    private const string SlackTokensRevoked = """
        {
            "token": "XXYYZZ",
            "team_id": "T9TK3CUKW",
            "api_app_id": "A0KRD7HC3",
            "event": {
                "type": "tokens_revoked",
                "tokens": {
                    "oauth": ["U1234"],
                    "bot": ["U0KRQLJ9H"]
                }
            },
            "type": "event_callback",
            "event_id": "Ev0PV52K21",
            "event_time": 1234567890
        }
        """;

    // https://api.slack.com/events/app_uninstalled
    private const string SlackAppUninstalled = """
        {
            "token": "XXYYZZ",
            "team_id": "T9TK3CUKW",
            "api_app_id": "A0KRD7HC3",
            "event": {
                "type": "app_uninstalled"
            },
            "type": "event_callback",
            "event_id": "Ev0PV52K25",
            "event_time": 1234567890
        }
        """;

    // https://docs.github.com/webhooks/webhook-events-and-payloads#github_app_authorization (sender abbreviated).
    private const string GitHubAuthorizationRevoked = """
        {
          "action": "revoked",
          "sender": { "login": "octocat", "id": 583231, "node_id": "MDQ6VXNlcjU4MzIzMQ==", "type": "User", "site_admin": false }
        }
        """;

    // https://docs.github.com/webhooks/webhook-events-and-payloads#installation (deleted; abbreviated).
    private const string GitHubInstallationDeleted = """
        {
          "action": "deleted",
          "installation": {
            "id": 2,
            "account": { "login": "octocat", "id": 1, "type": "User" },
            "app_id": 1,
            "target_type": "User"
          },
          "sender": { "login": "octocat", "id": 1 }
        }
        """;

    // https://docs.stripe.com/connect/webhooks: a Connect event carries the connected account in the top-level "account".
    private const string StripeDeauthorized = """
        {
          "id": "evt_1NG8Du2eZvKYlo2CUI79vXWy",
          "object": "event",
          "account": "acct_1032D82eZvKYlo2C",
          "api_version": "2024-06-20",
          "created": 1686089970,
          "data": { "object": { "id": "ca_FkyHCg7X8mlvCUdMDao4mMxagUfhIwXb", "object": "application", "name": "Hub" } },
          "livemode": false,
          "pending_webhooks": 1,
          "request": { "id": null, "idempotency_key": null },
          "type": "account.application.deauthorized"
        }
        """;

    // https://developers.zoom.us/docs/api/rest/reference/marketplace/events/#app_deauthorized (and the deauthorization guide's example).
    private const string ZoomDeauthorized = """
        {
          "event": "app_deauthorized",
          "event_ts": 1560779548632,
          "payload": {
            "account_id": "EabCDEFghiLHMA",
            "user_id": "z9jkdsfsdfjhdkfjQ",
            "signature": "827edc3452044f0bc86bdd5684afb7d1e6becfa1a767f24df1b287853cf73000",
            "deauthorization_time": "2019-06-17T13:52:28.632Z",
            "client_id": "ADZ9k9bTWmGUoUbECUKU_a"
          }
        }
        """;

    [Fact]
    public void Read_SlackAppUninstalled_NamesEveryConnectionOfTheWorkspace()
    {
        var revocation = Read(WebhookSchemes.Slack, SlackAppUninstalled);

        Assert.NotNull(revocation);
        Assert.Equal(["slack"], revocation.Templates);
        var match = Assert.Single(revocation.Matches);
        Assert.True(match.IsMatchedBy(Ids((ProviderAccountIds.TeamId, "T9TK3CUKW"), (ProviderAccountIds.BotUserId, "U0KRQLJ9H"))));
        Assert.False(match.IsMatchedBy(Ids((ProviderAccountIds.TeamId, "T0OTHER"))));
        Assert.Contains("T9TK3CUKW", revocation.Reason, StringComparison.Ordinal);
        Assert.Contains("app_uninstalled", revocation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SlackTokensRevoked_MatchesTheBotInItsWorkspace_AndTheUserOnlyOnAUserTokenConnection()
    {
        var revocation = Read(WebhookSchemes.Slack, SlackTokensRevoked);

        Assert.NotNull(revocation);
        var botConnection = Ids((ProviderAccountIds.TeamId, "T9TK3CUKW"), (ProviderAccountIds.BotUserId, "U0KRQLJ9H"), (ProviderAccountIds.UserId, "U9999"));
        var installerWithBot = Ids((ProviderAccountIds.TeamId, "T9TK3CUKW"), (ProviderAccountIds.BotUserId, "U0OTHERBOT"), (ProviderAccountIds.UserId, "U1234"));
        var userTokenConnection = Ids((ProviderAccountIds.TeamId, "T9TK3CUKW"), (ProviderAccountIds.UserId, "U1234"));
        var sameBotOtherWorkspace = Ids((ProviderAccountIds.TeamId, "T0OTHER"), (ProviderAccountIds.BotUserId, "U0KRQLJ9H"));
        Assert.Contains(revocation.Matches, m => m.IsMatchedBy(botConnection));
        Assert.DoesNotContain(revocation.Matches, m => m.IsMatchedBy(installerWithBot));
        Assert.Contains(revocation.Matches, m => m.IsMatchedBy(userTokenConnection));
        Assert.DoesNotContain(revocation.Matches, m => m.IsMatchedBy(sameBotOtherWorkspace));
    }

    [Fact]
    public void Read_SlackOtherEvent_IsNoRevocation()
    {
        const string message = """{"team_id":"T1","event":{"type":"message","text":"tokens_revoked"},"type":"event_callback","event_id":"Ev1"}""";

        Assert.Null(Read(WebhookSchemes.Slack, message));
    }

    [Fact]
    public void Read_GitHubAuthorizationRevoked_NamesTheSender()
    {
        var revocation = Read(WebhookSchemes.GitHub, GitHubAuthorizationRevoked, eventType: "github_app_authorization");

        Assert.NotNull(revocation);
        Assert.Equal(["github"], revocation.Templates);
        Assert.True(Assert.Single(revocation.Matches).IsMatchedBy(Ids((ProviderAccountIds.UserId, "583231"))));
        Assert.Contains("octocat", revocation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_GitHubInstallationDeleted_NamesTheInstallation_ByTheHeaderWhenNoEventTypeWasStored()
    {
        var revocation = Read(WebhookSchemes.GitHub, GitHubInstallationDeleted, headers: new Dictionary<string, string> { ["x-github-event"] = "installation" });

        Assert.NotNull(revocation);
        var match = Assert.Single(revocation.Matches);
        Assert.True(match.IsMatchedBy(Ids((ProviderAccountIds.InstallationId, "2"))));
        Assert.False(match.IsMatchedBy(Ids((ProviderAccountIds.UserId, "1"))));
    }

    [Theory]
    [InlineData("installation.deleted")]
    [InlineData("installation")]
    public void Read_GitHubInstallationDeleted_AsTheSchemeStoresItsType_NamesTheInstallation(string eventType)
    {
        // The github scheme stores "{X-GitHub-Event}.{action}"; GitHub's event names have no dot.
        var revocation = Read(WebhookSchemes.GitHub, GitHubInstallationDeleted, eventType: eventType);

        Assert.NotNull(revocation);
        Assert.True(Assert.Single(revocation.Matches).IsMatchedBy(Ids((ProviderAccountIds.InstallationId, "2"))));
    }

    [Fact]
    public void Read_GitHubAuthorizationRevoked_AsTheSchemeStoresItsType_NamesTheSender()
    {
        var revocation = Read(WebhookSchemes.GitHub, GitHubAuthorizationRevoked, eventType: "github_app_authorization.revoked");

        Assert.NotNull(revocation);
        Assert.True(Assert.Single(revocation.Matches).IsMatchedBy(Ids((ProviderAccountIds.UserId, "583231"))));
    }

    [Fact]
    public void Read_GitHubRepositoryDeletedAsTheSchemeStoresItsType_IsNoRevocation() =>
        Assert.Null(Read(WebhookSchemes.GitHub, GitHubInstallationDeleted, eventType: "repository.deleted"));

    [Fact]
    public void Read_GitHubSameBodyUnderAnotherEvent_IsNoRevocation()
    {
        // A "repository" deleted delivery to an app also has action "deleted" and an installation: only the event name tells them apart.
        Assert.Null(Read(WebhookSchemes.GitHub, GitHubInstallationDeleted, eventType: "repository"));
        Assert.Null(Read(WebhookSchemes.GitHub, GitHubInstallationDeleted));
    }

    [Fact]
    public void Read_StripeDeauthorized_NamesTheConnectedAccount()
    {
        var revocation = Read(WebhookSchemes.Stripe, StripeDeauthorized);

        Assert.NotNull(revocation);
        Assert.Equal(["stripe-connect"], revocation.Templates);
        Assert.True(Assert.Single(revocation.Matches).IsMatchedBy(Ids((ProviderAccountIds.StripeUserId, "acct_1032D82eZvKYlo2C"))));
        Assert.Contains("evt_1NG8Du2eZvKYlo2CUI79vXWy", revocation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_StripeOtherEventMentioningTheType_IsNoRevocation()
    {
        var updated = StripeDeauthorized.Replace("\"type\": \"account.application.deauthorized\"", "\"type\": \"account.updated\"", StringComparison.Ordinal)
            .Replace("\"name\": \"Hub\"", "\"name\": \"account.application.deauthorized\"", StringComparison.Ordinal);

        Assert.Null(Read(WebhookSchemes.Stripe, updated));
    }

    [Fact]
    public void Read_ZoomAppDeauthorized_NamesTheUser_AndTheReasonCarriesNoSignature()
    {
        var revocation = Read(WebhookSchemes.Zoom, ZoomDeauthorized);

        Assert.NotNull(revocation);
        Assert.Equal(["zoom"], revocation.Templates);
        Assert.True(Assert.Single(revocation.Matches).IsMatchedBy(Ids((ProviderAccountIds.UserId, "z9jkdsfsdfjhdkfjQ"))));
        Assert.DoesNotContain("827edc34", revocation.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WebhookSchemes.Standard)]
    [InlineData(WebhookSchemes.Hmac)]
    [InlineData(WebhookSchemes.Shopify)]
    public void Read_SchemeWithoutConsentEvents_IsNoRevocation(string scheme)
    {
        Assert.Null(Read(scheme, StripeDeauthorized));
    }

    [Theory]
    [InlineData("not json tokens_revoked app_uninstalled")]
    [InlineData("""{"type":"event_callback","team_id":"T1","event":{"type":"app_uninstalled"}""")]
    [InlineData("""{"type":"event_callback","team_id":"T 1 has spaces","event":{"type":"app_uninstalled"}}""")]
    [InlineData("""{"type":"event_callback","event":{"type":"app_uninstalled"}}""")]
    [InlineData("""{"type":"event_callback","team_id":"T1","event":{"type":"tokens_revoked","tokens":{}}}""")]
    public void Read_MalformedOrIncompleteSlackEvent_IsNoRevocation(string body)
    {
        Assert.Null(Read(WebhookSchemes.Slack, body));
    }

    private static ConsentRevocation? Read(string scheme, string body, string? eventType = null, Dictionary<string, string>? headers = null) =>
        ConsentEvents.Read(
            new WebhookEvent("whe_1", "org_1", "prj_1", "whs_1", scheme, "delivery-1", eventType, TimeProvider.System.GetUtcNow(), headers ?? [], body.Length),
            Encoding.UTF8.GetBytes(body));

    private static Dictionary<string, string> Ids(params (string Key, string Value)[] ids) => ids.ToDictionary(i => i.Key, i => i.Value, StringComparer.Ordinal);
}
