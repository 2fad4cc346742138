using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Api.Tests.Connections;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.OAuth;
using Integrations.Core.OAuth.Tokens;
using Integrations.Core.Webhooks;
using Integrations.Core.Webhooks.Consent;
using Integrations.Testing;
using Integrations.Testing.OAuth;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Webhooks;

/// <summary>
/// Consent revocation through the real stores: connections created through the API and connected through the grant path, whose
/// token responses (scripted, as each provider documents them) reveal the provider-side ids; then the handler the ingress runs
/// is given a verified event as stored, and the matching connections — only those, only in the event's project — are revoked,
/// audited and announced, once.
/// </summary>
public sealed class ConsentRevocationApiTests(ConnectFlowFixture f) : IClassFixture<ConnectFlowFixture>
{
    private const string Bot = "U0KRQLJ9H";
    private const string User = "U1234";
    private const string SourceId = "whs_consenttest";

    [Fact]
    public async Task SlackAppUninstalled_MatchingWorkspace_RevokedWithReason_AuditedAnnounced_AndTokensForgotten()
    {
        var tenant = await f.TenantAsync();
        var team = NewTeam();
        var connectionId = await SlackConnectionAsync(tenant, team);
        var before = await f.StatusAsync(tenant, connectionId);

        await HandleAsync(tenant, WebhookSchemes.Slack, SlackAppUninstalled(team));

        Assert.Equal("active", (string?)before["status"]);
        Assert.Equal((team, User, Bot), ((string?)before["external_ids"]![ProviderAccountIds.TeamId], (string?)before["external_ids"]![ProviderAccountIds.UserId],
            (string?)before["external_ids"]![ProviderAccountIds.BotUserId]));
        var after = await f.StatusAsync(tenant, connectionId);
        Assert.Equal("revoked", (string?)after["status"]);
        Assert.Contains(team, (string?)after["status_reason"], StringComparison.Ordinal);
        Assert.Contains("app_uninstalled", (string?)after["status_reason"], StringComparison.Ordinal);
        var revoked = Assert.Single(await ActivityAsync(tenant, "connection.revoked"));
        Assert.Equal((connectionId, "active", (string?)after["status_reason"]),
            ((string?)revoked["data"]!["connection_id"], (string?)revoked["data"]!["previous_status"], (string?)revoked["data"]!["reason"]));
        var audit = Assert.Single(await StatusChangeAuditAsync(tenant, connectionId, "success"));
        Assert.Equal((ConsentRevocationHandler.ActorType, "webhook:" + SourceId), ((string?)audit["actor_type"], (string?)audit["actor_id"]));
        Assert.Equal(TokenErrors.NotConnected, (await f.StoredTokenAsync(tenant, connectionId)).ErrorCode);
    }

    [Fact]
    public async Task SlackAppUninstalled_DeliveredAgain_ChangesAndWritesNothing()
    {
        var tenant = await f.TenantAsync();
        var team = NewTeam();
        var connectionId = await SlackConnectionAsync(tenant, team);
        await HandleAsync(tenant, WebhookSchemes.Slack, SlackAppUninstalled(team));
        var state = await StateAsync(tenant, connectionId);
        var events = (await ActivityAsync(tenant, null)).Count;
        // Listing the audit log may itself be audited: only status changes are counted.
        var audits = (await AuditAsync(tenant)).Count(r => (string?)r["action"] == "connection.status.change");

        await HandleAsync(tenant, WebhookSchemes.Slack, SlackAppUninstalled(team));
        await HandleAsync(tenant, WebhookSchemes.Slack, SlackAppUninstalled(team));

        var again = await StateAsync(tenant, connectionId);
        Assert.Equal((ConnectionStatus.Revoked, state.ETag, state.StatusReason), (again.Status, again.ETag, again.StatusReason));
        Assert.Equal(events, (await ActivityAsync(tenant, null)).Count);
        Assert.Equal(audits, (await AuditAsync(tenant)).Count(r => (string?)r["action"] == "connection.status.change"));
    }

    [Fact]
    public async Task SlackAppUninstalled_OtherWorkspace_ChangesNothing()
    {
        var tenant = await f.TenantAsync();
        var connectionId = await SlackConnectionAsync(tenant, NewTeam());
        var state = await StateAsync(tenant, connectionId);

        await HandleAsync(tenant, WebhookSchemes.Slack, SlackAppUninstalled(NewTeam()));

        var after = await StateAsync(tenant, connectionId);
        Assert.Equal((ConnectionStatus.Active, state.ETag), (after.Status, after.ETag));
        Assert.Empty(await ActivityAsync(tenant, "connection.revoked"));
    }

    [Fact]
    public async Task SlackAppUninstalled_SameWorkspaceInAnotherTenant_OnlyTheSourcesProjectIsTouched()
    {
        var tenant = await f.TenantAsync();
        var other = await f.TenantAsync("Other");
        var team = NewTeam();
        var mine = await SlackConnectionAsync(tenant, team);
        var theirs = await SlackConnectionAsync(other, team);
        var theirState = await StateAsync(other, theirs);

        await HandleAsync(tenant, WebhookSchemes.Slack, SlackAppUninstalled(team));

        Assert.Equal("revoked", (string?)(await f.StatusAsync(tenant, mine))["status"]);
        var after = await StateAsync(other, theirs);
        Assert.Equal((ConnectionStatus.Active, theirState.ETag), (after.Status, after.ETag));
        Assert.Empty(await ActivityAsync(other, "connection.revoked"));
        Assert.Null((await f.StoredTokenAsync(other, theirs)).ErrorCode);
    }

    [Fact]
    public async Task SlackTokensRevoked_BotOfTheConnection_Revoked_ButAnInstallingUsersTokenAloneIsNot()
    {
        var tenant = await f.TenantAsync();
        var team = NewTeam();
        var byBot = await SlackConnectionAsync(tenant, team);
        var otherTeam = NewTeam();
        var byUser = await SlackConnectionAsync(tenant, otherTeam);

        await HandleAsync(tenant, WebhookSchemes.Slack, SlackTokensRevoked(team, oauth: [], bot: [Bot]));
        // The installing user's token only: the connection holds the bot's token, which still works.
        await HandleAsync(tenant, WebhookSchemes.Slack, SlackTokensRevoked(otherTeam, oauth: [User], bot: []));

        Assert.Equal("revoked", (string?)(await f.StatusAsync(tenant, byBot))["status"]);
        Assert.Equal("active", (string?)(await f.StatusAsync(tenant, byUser))["status"]);
    }

    [Fact]
    public async Task SlackEvent_ReplayedAfterTheConnectionWasConnectedAgain_DoesNotUndoIt()
    {
        var tenant = await f.TenantAsync();
        var team = NewTeam();
        var connectionId = await SlackConnectionAsync(tenant, team);
        var receivedBeforeTheGrant = TimeProvider.System.GetUtcNow().AddMinutes(-5);
        var state = await StateAsync(tenant, connectionId);

        await HandleAsync(tenant, WebhookSchemes.Slack, SlackAppUninstalled(team), receivedAt: receivedBeforeTheGrant);

        var after = await StateAsync(tenant, connectionId);
        Assert.Equal((ConnectionStatus.Active, state.ETag), (after.Status, after.ETag));
    }

    [Fact]
    public async Task StripeAccountApplicationDeauthorized_ConnectedAccount_Revoked_OtherAccountsNot()
    {
        var tenant = await f.TenantAsync();
        var account = "acct_" + TestRandom.Hex(8);
        var connectionId = await ConnectionAsync(tenant, "stripe-connect", ScriptedResponse.Json(new
        {
            // https://docs.stripe.com/connect/oauth-reference#post-token-response
            access_token = "sk_test_" + TestRandom.Hex(12), livemode = false, refresh_token = "rt_" + TestRandom.Hex(12), token_type = "bearer",
            stripe_publishable_key = "pk_test_" + TestRandom.Hex(12), stripe_user_id = account, scope = "read_write",
        }));
        var bystander = await ConnectionAsync(tenant, "stripe-connect", ScriptedResponse.Json(new
        {
            access_token = "sk_test_" + TestRandom.Hex(12), token_type = "bearer", stripe_user_id = "acct_" + TestRandom.Hex(8), scope = "read_write",
        }));

        await HandleAsync(tenant, WebhookSchemes.Stripe, $$$"""
            {"id":"evt_{{{TestRandom.Hex(8)}}}","object":"event","account":"{{{account}}}","api_version":"2024-06-20","created":1686089970,
             "data":{"object":{"id":"ca_FkyHCg7X8mlvCUdMDao4mMxagUfhIwXb","object":"application","name":"Hub"}},
             "livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"account.application.deauthorized"}
            """);

        var status = await f.StatusAsync(tenant, connectionId);
        Assert.Equal(("revoked", account), ((string?)status["status"], (string?)status["external_ids"]![ProviderAccountIds.StripeUserId]));
        Assert.Contains(account, (string?)status["status_reason"], StringComparison.Ordinal);
        Assert.Equal("active", (string?)(await f.StatusAsync(tenant, bystander))["status"]);
    }

    [Fact]
    public async Task SlackEvent_ToAStripeSource_NamesNoSlackConnection()
    {
        // The matching provider is the scheme's: a Slack-shaped body verified under another scheme is not a Slack event.
        var tenant = await f.TenantAsync();
        var team = NewTeam();
        var connectionId = await SlackConnectionAsync(tenant, team);

        await HandleAsync(tenant, WebhookSchemes.Stripe, SlackAppUninstalled(team));

        Assert.Equal("active", (string?)(await f.StatusAsync(tenant, connectionId))["status"]);
    }

    [Fact]
    public async Task StateRowForgedWithAnotherWorkspaceId_InAnotherProject_IsNotReachedFromThisProject()
    {
        // An attacker who can write the connections table copies a victim's external id onto a connection elsewhere: the lookup
        // stays in the event's partition, so the event of one project never reaches the other's rows.
        var tenant = await f.TenantAsync();
        var other = await f.TenantAsync("Other");
        var team = NewTeam();
        var theirs = await SlackConnectionAsync(other, NewTeam());
        var store = f.Hub.Services.GetRequiredService<IConnectionStore>();
        var current = (await store.GetAsync(other.OrganizationId, other.ProjectId, theirs))!.State;
        Assert.Equal(WriteOutcome.Written, await store.TryUpdateStateAsync(other.OrganizationId, other.ProjectId, theirs,
            current with { ExternalIds = new Dictionary<string, string>(current.ExternalIds) { [ProviderAccountIds.TeamId] = team } }));

        await HandleAsync(tenant, WebhookSchemes.Slack, SlackAppUninstalled(team));

        Assert.Equal("active", (string?)(await f.StatusAsync(other, theirs))["status"]);
    }

    [Fact]
    public async Task GitHubInstallationDeleted_ConnectionAuthorizedDuringThatInstallation_Revoked()
    {
        // A GitHub App asking for authorization during installation gets ?code=…&installation_id=… on its callback: the hub keeps
        // the installation id with the grant. The provider is the OpenIddict server with the github template's id (set in the
        // store: the API fixes a template's endpoints to GitHub's own).
        var tenant = await f.TenantAsync();
        var providerId = await f.ProviderAsync(tenant);
        var providers = f.Hub.Services.GetRequiredService<IProviderStore>();
        var stored = (await providers.GetAsync(tenant.OrganizationId, tenant.ProjectId, providerId))!;
        Assert.Equal(WriteOutcome.Written, await providers.TryUpdateAsync(stored with { TemplateId = "github" }));
        var connectionId = await f.ConnectionAsync(tenant, providerId, "oauth2_authorization_code", "openid", "profile", "email", "api");
        var other = await f.ConnectionAsync(tenant, providerId, "oauth2_authorization_code", "openid", "profile", "email", "api");
        var installation = (Convert.ToInt64(TestRandom.Hex(3), 16) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ConnectThroughCallbackAsync(tenant, connectionId, "&installation_id=" + installation + "&setup_action=install");
        await ConnectThroughCallbackAsync(tenant, other, "&installation_id=not%20an%20id");

        await HandleAsync(tenant, WebhookSchemes.GitHub, $$$"""
            {"action":"deleted","installation":{"id":{{{installation}}},"account":{"login":"octocat","id":1,"type":"User"},"app_id":1,"target_type":"User"},
             "sender":{"login":"octocat","id":1}}
            """, eventType: "installation");

        var status = await f.StatusAsync(tenant, connectionId);
        Assert.Equal(("revoked", installation), ((string?)status["status"], (string?)status["external_ids"]![ProviderAccountIds.InstallationId]));
        Assert.Equal(OpenIddictTestServer.UserSubject, (string?)status["external_ids"]![ProviderAccountIds.UserId]);
        var untouched = await f.StatusAsync(tenant, other);
        Assert.Equal("active", (string?)untouched["status"]);
        Assert.Null(untouched["external_ids"]![ProviderAccountIds.InstallationId]);
    }

    private async Task ConnectThroughCallbackAsync(Tenant tenant, string connectionId, string extraQuery)
    {
        using var client = f.Hub.Client(tenant.OwnerKey);
        var flow = await Json(await client.PostAsJsonAsync($"/v1/projects/{tenant.ProjectId}/connections/{connectionId}/authorize", new { redirect_after = (string?)null }),
            HttpStatusCode.OK);
        using var browser = ConnectFlowFixture.Browser();
        using (var start = await browser.GetAsync(new Uri((string)flow["start_url"]!)))
        {
            Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        }

        var callback = await f.Idp.AuthorizeAsync(new Uri((string)flow["authorization_url"]!));
        using var done = await browser.GetAsync(new Uri(callback.AbsoluteUri + extraQuery));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal("active", (string?)(await f.StatusAsync(tenant, connectionId))["status"]);
    }

    private static string NewTeam() => "T" + TestRandom.Hex(8).ToUpperInvariant();

    private static string SlackAppUninstalled(string team) => $$$"""
        {"token":"XXYYZZ","team_id":"{{{team}}}","api_app_id":"A0KRD7HC3","event":{"type":"app_uninstalled"},
         "type":"event_callback","event_id":"Ev{{{TestRandom.Hex(8)}}}","event_time":1234567890}
        """;

    private static string SlackTokensRevoked(string team, string[] oauth, string[] bot) => $$$"""
        {"token":"XXYYZZ","team_id":"{{{team}}}","api_app_id":"A0KRD7HC3",
         "event":{"type":"tokens_revoked","tokens":{"oauth":[{{{Quoted(oauth)}}}],"bot":[{{{Quoted(bot)}}}]}},
         "type":"event_callback","event_id":"Ev{{{TestRandom.Hex(8)}}}","event_time":1234567890}
        """;

    private static string Quoted(string[] ids) => string.Join(",", ids.Select(id => "\"" + id + "\""));

    /// <summary>A Slack connection, connected with a token response shaped as https://api.slack.com/methods/oauth.v2.access documents it.</summary>
    private Task<string> SlackConnectionAsync(Tenant tenant, string team) => ConnectionAsync(tenant, "slack", ScriptedResponse.Json(new
    {
        ok = true,
        access_token = "xoxb-" + TestRandom.Hex(12),
        token_type = "bot",
        scope = "channels:read,chat:write",
        bot_user_id = Bot,
        app_id = "A0KRD7HC3",
        team = new { name = "Slack Softball Team", id = team },
        enterprise = (object?)null,
        authed_user = new { id = User, scope = "chat:write", access_token = "xoxp-" + TestRandom.Hex(12), token_type = "user" },
    }));

    /// <summary>
    /// A provider from <paramref name="template"/> and an <c>oauth2_client_credentials</c> connection of it, connected through
    /// <c>POST …/grant</c> against the scripted token endpoint answering <paramref name="tokenResponse"/>. The API keeps a template's
    /// endpoints fixed (the provider's real ones), so its token endpoint is pointed at the scripted server through the provider store.
    /// </summary>
    private async Task<string> ConnectionAsync(Tenant tenant, string template, ScriptedResponse tokenResponse)
    {
        using var client = f.Hub.Client(tenant.OwnerKey);
        var provider = await Json(await client.PostAsJsonAsync(tenant.Providers, new
        {
            name = template + "-" + TestRandom.Hex(4), template, client_id = "client-" + TestRandom.Hex(4), client_secret = "client-secret-" + TestRandom.Hex(8),
        }), HttpStatusCode.Created);
        var providerId = (string)provider["id"]!;
        var providers = f.Hub.Services.GetRequiredService<IProviderStore>();
        var stored = (await providers.GetAsync(tenant.OrganizationId, tenant.ProjectId, providerId))!;
        Assert.Equal(WriteOutcome.Written, await providers.TryUpdateAsync(stored with { Endpoints = stored.Endpoints! with { Token = f.Scripted.TokenEndpoint } }));
        var connectionId = await f.ConnectionAsync(tenant, providerId, "oauth2_client_credentials");
        f.Scripted.Enqueue(tokenResponse);
        var status = await Json(await client.PostAsJsonAsync($"/v1/projects/{tenant.ProjectId}/connections/{connectionId}/grant", new { grant_type = "client_credentials" }),
            HttpStatusCode.OK);
        Assert.Equal("active", (string?)status["status"]);
        return connectionId;
    }

    /// <summary>What the ingress does once an event is verified, stored and enqueued: every registered handler gets it.</summary>
    private async Task HandleAsync(Tenant tenant, string scheme, string body, DateTimeOffset? receivedAt = null, string? eventType = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var webhookEvent = new WebhookEvent("whe_" + TestRandom.Hex(8), tenant.OrganizationId, tenant.ProjectId, SourceId, scheme, "delivery-" + TestRandom.Hex(6), eventType,
            receivedAt ?? TimeProvider.System.GetUtcNow(), new Dictionary<string, string>(), bytes.Length);
        var handlers = f.Hub.Services.GetServices<IReceivedWebhookHandler>().ToList();
        Assert.Contains(handlers, h => h is ConsentRevocationHandler);
        foreach (var handler in handlers)
        {
            await handler.HandleAsync(webhookEvent, bytes);
        }
    }

    private async Task<ConnectionState> StateAsync(Tenant tenant, string connectionId) =>
        (await f.Hub.Services.GetRequiredService<IConnectionStore>().GetAsync(tenant.OrganizationId, tenant.ProjectId, connectionId))!.State;

    private async Task<List<JsonNode>> ActivityAsync(Tenant tenant, string? type)
    {
        using var client = f.Hub.Client(tenant.OwnerKey);
        var page = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/activity?per_page=100" + (type is null ? "" : "&type=" + type)), HttpStatusCode.OK);
        return [.. page["data"]!.AsArray().Select(e => e!)];
    }

    private async Task<List<JsonNode>> AuditAsync(Tenant tenant)
    {
        using var client = f.Hub.Client(tenant.OwnerKey);
        var page = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/audit?per_page=100"), HttpStatusCode.OK);
        return [.. page["data"]!.AsArray().Select(e => e!)];
    }

    private async Task<List<JsonNode>> StatusChangeAuditAsync(Tenant tenant, string connectionId, string outcome) =>
        [.. (await AuditAsync(tenant)).Where(r => (string?)r["action"] == "connection.status.change" && (string?)r["target"] == "connection/" + connectionId
            && (string?)r["outcome"] == outcome && (string?)r["actor_type"] == ConsentRevocationHandler.ActorType)];
}
