using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Api.Tests.Connections;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.OAuth;
using Integrations.Core.OAuth.Tokens;
using Integrations.Core.Webhooks.Consent;
using Integrations.Testing;
using Integrations.Testing.OAuth;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Webhooks;

/// <summary>
/// Consent revocation end to end: a source created through the API with the provider's real scheme, a connection whose provider-side
/// ids came through the real grant path, and the provider's event signed as the provider signs it, POSTed to the source's public URL.
/// The ingress verifies, stores, enqueues and answers 200, then runs the handlers: the connection is <c>revoked</c> with the reason,
/// <c>connection.revoked</c> is announced and the event is listed. A second copy, a forgery and another tenant's source change nothing.
/// </summary>
/// <remarks>
/// Zoom's <c>app_deauthorized</c> names the user, whom a Zoom grant keeps only as the connected account's subject (the token response
/// names nobody, and the zoom template has no userinfo endpoint answering <c>sub</c>). The Zoom connection here is therefore made from
/// a provider with such an endpoint (the OpenIddict server) carrying the <c>zoom</c> template id, as the GitHub one is.
/// </remarks>
public sealed class ConsentRevocationIngressTests(ConnectFlowFixture f) : IClassFixture<ConnectFlowFixture>
{
    public const string SlackAppUninstalled = "slack app_uninstalled";
    public const string SlackTokensRevoked = "slack tokens_revoked";
    public const string GitHubInstallationDeleted = "github installation deleted";
    public const string StripeDeauthorized = "stripe account.application.deauthorized";
    public const string ZoomDeauthorized = "zoom app_deauthorized";

    private const string Bot = "U0KRQLJ9H";
    private const string User = "U1234";
    private static readonly TimeSpan HandlerWait = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(SlackAppUninstalled)]
    [InlineData(SlackTokensRevoked)]
    [InlineData(GitHubInstallationDeleted)]
    [InlineData(StripeDeauthorized)]
    [InlineData(ZoomDeauthorized)]
    public async Task Receive_SignedRevocationEvent_ConnectionRevokedAnnouncedAndListed_SecondCopyWritesNothing(string consentEvent)
    {
        var tenant = await f.TenantAsync();
        var account = AccountIds.New();
        var connectionId = await ConnectAsync(tenant, consentEvent, account);
        var bystander = await BystanderAsync(tenant, consentEvent);
        var secret = SecretFor(consentEvent);
        var sourceId = await SourceAsync(tenant, SchemeOf(consentEvent), secret);
        var delivery = Delivery.Of(consentEvent, account, secret);

        var answer = await Json(await PostAsync($"/v1/webhooks/{sourceId}", delivery), HttpStatusCode.OK);

        Assert.False((bool)answer["duplicate"]!);
        var eventId = (string)answer["event_id"]!;
        var status = await RevokedAsync(tenant, connectionId);
        Assert.All(delivery.ReasonParts, part => Assert.Contains(part, (string?)status["status_reason"], StringComparison.Ordinal));
        var revoked = Assert.Single(await ActivityAsync(tenant, "connection.revoked"));
        Assert.Equal((connectionId, "active", (string?)status["status_reason"]),
            ((string?)revoked["data"]!["connection_id"], (string?)revoked["data"]!["previous_status"], (string?)revoked["data"]!["reason"]));
        var audit = Assert.Single(await StatusChangesAsync(tenant));
        Assert.Equal(("connection/" + connectionId, "webhook:" + sourceId), ((string?)audit["target"], (string?)audit["actor_id"]));
        Assert.Equal(TokenErrors.NotConnected, (await f.StoredTokenAsync(tenant, connectionId)).ErrorCode);
        Assert.Equal("active", (string?)(await f.StatusAsync(tenant, bystander))["status"]);
        var listed = Assert.Single((await EventsAsync(tenant))["data"]!.AsArray())!;
        Assert.Equal((eventId, sourceId, delivery.EventType), ((string?)listed["id"], (string?)listed["source_id"], (string?)listed["type"]));
        Assert.Single(await Queues.DrainAsync(f.Hub.ConnectionString, tenant.ProjectId));
        var state = await StateAsync(tenant, connectionId);
        var activity = (await ActivityAsync(tenant, null)).Count;

        var again = await Json(await PostAsync($"/v1/webhooks/{sourceId}", delivery), HttpStatusCode.OK);

        Assert.Equal((true, eventId), ((bool)again["duplicate"]!, (string?)again["event_id"]));
        var after = await StateAsync(tenant, connectionId);
        Assert.Equal((ConnectionStatus.Revoked, state.ETag, state.StatusReason), (after.Status, after.ETag, after.StatusReason));
        Assert.Equal(activity, (await ActivityAsync(tenant, null)).Count);
        Assert.Single(await StatusChangesAsync(tenant));
        Assert.Equal(1, (int)(await EventsAsync(tenant))["pagination"]!["total"]!);
        Assert.Empty(await Queues.DrainAsync(f.Hub.ConnectionString, tenant.ProjectId));
    }

    [Theory]
    [InlineData(SlackAppUninstalled)]
    [InlineData(SlackTokensRevoked)]
    [InlineData(GitHubInstallationDeleted)]
    [InlineData(StripeDeauthorized)]
    [InlineData(ZoomDeauthorized)]
    public async Task Receive_RevocationEventWithForgedSignature_401AndConnectionUntouched(string consentEvent)
    {
        var tenant = await f.TenantAsync();
        var account = AccountIds.New();
        var connectionId = await ConnectAsync(tenant, consentEvent, account);
        var secret = SecretFor(consentEvent);
        var sourceId = await SourceAsync(tenant, SchemeOf(consentEvent), secret);
        var state = await StateAsync(tenant, connectionId);
        // The attacker knows the event's shape and the account's ids, not the source's secret.
        var forged = Delivery.Of(consentEvent, account, SecretFor(consentEvent));

        var response = await PostAsync($"/v1/webhooks/{sourceId}", forged);

        var problem = await Problem(response, HttpStatusCode.Unauthorized, "webhook-bad-signature");
        Assert.DoesNotContain(secret, problem.ToJsonString(), StringComparison.Ordinal);
        var after = await StateAsync(tenant, connectionId);
        Assert.Equal((ConnectionStatus.Active, state.ETag), (after.Status, after.ETag));
        Assert.Null((await f.StoredTokenAsync(tenant, connectionId)).ErrorCode);
        Assert.Empty(await ActivityAsync(tenant, "connection.revoked"));
        Assert.Equal(0, (int)(await EventsAsync(tenant))["pagination"]!["total"]!);
    }

    [Theory]
    [InlineData(SlackAppUninstalled)]
    [InlineData(SlackTokensRevoked)]
    [InlineData(GitHubInstallationDeleted)]
    [InlineData(StripeDeauthorized)]
    [InlineData(ZoomDeauthorized)]
    public async Task Receive_SameEventToAnotherTenantsSource_OnlyThatTenantsConnectionRevoked(string consentEvent)
    {
        // Both tenants are connected to the same provider account (one workspace, one Stripe account …). The other tenant's own
        // connection being revoked shows the handler has run; this tenant's, with the very same ids, must not be.
        var tenant = await f.TenantAsync();
        var other = await f.TenantAsync("Other");
        var account = AccountIds.New();
        var mine = await ConnectAsync(tenant, consentEvent, account);
        var theirs = await ConnectAsync(other, consentEvent, account);
        await SourceAsync(tenant, SchemeOf(consentEvent), SecretFor(consentEvent));
        var theirSecret = SecretFor(consentEvent);
        var theirSource = await SourceAsync(other, SchemeOf(consentEvent), theirSecret);
        var state = await StateAsync(tenant, mine);

        await Json(await PostAsync($"/v1/webhooks/{theirSource}", Delivery.Of(consentEvent, account, theirSecret)), HttpStatusCode.OK);

        await RevokedAsync(other, theirs);
        var after = await StateAsync(tenant, mine);
        Assert.Equal((ConnectionStatus.Active, state.ETag), (after.Status, after.ETag));
        Assert.Null((await f.StoredTokenAsync(tenant, mine)).ErrorCode);
        Assert.Empty(await ActivityAsync(tenant, "connection.revoked"));
        Assert.Empty(await StatusChangesAsync(tenant));
        Assert.Equal(0, (int)(await EventsAsync(tenant))["pagination"]!["total"]!);
    }

    [Fact]
    public async Task ReceiveForProject_StripeSignedDeauthorization_SniffedToTheStripeSourceAndRevoked()
    {
        // The project has a Slack source too: the sniffer must pick the source by Stripe-Signature, and verify with Stripe's scheme.
        var tenant = await f.TenantAsync();
        var account = AccountIds.New();
        var connectionId = await ConnectAsync(tenant, StripeDeauthorized, account);
        await SourceAsync(tenant, SchemeOf(SlackAppUninstalled), SecretFor(SlackAppUninstalled));
        var secret = SecretFor(StripeDeauthorized);
        var stripeSource = await SourceAsync(tenant, SchemeOf(StripeDeauthorized), secret);
        var delivery = Delivery.Of(StripeDeauthorized, account, secret);

        var answer = await Json(await PostAsync($"/v1/projects/{tenant.ProjectId}/webhooks", delivery), HttpStatusCode.OK);

        var status = await RevokedAsync(tenant, connectionId);
        Assert.Contains(account.StripeAccount, (string?)status["status_reason"], StringComparison.Ordinal);
        var listed = Assert.Single((await EventsAsync(tenant))["data"]!.AsArray())!;
        Assert.Equal(((string?)answer["event_id"], stripeSource), ((string?)listed["id"], (string?)listed["source_id"]));
        var audit = Assert.Single(await StatusChangesAsync(tenant));
        Assert.Equal("webhook:" + stripeSource, (string?)audit["actor_id"]);
    }

    private static string SchemeOf(string consentEvent) => consentEvent.Split(' ')[0];

    /// <summary>A secret as the provider's dashboard shows it (Stripe's carry <c>whsec_</c>), different each call.</summary>
    private static string SecretFor(string consentEvent) => SchemeOf(consentEvent) == "stripe" ? "whsec_" + TestRandom.Hex(16) : TestRandom.Hex(16);

    private async Task<string> SourceAsync(Tenant tenant, string scheme, string secret)
    {
        using var client = f.Hub.Client(tenant.OwnerKey);
        var created = await Json(await client.PostAsJsonAsync($"/v1/projects/{tenant.ProjectId}/webhook-sources",
            new { name = scheme + "-" + TestRandom.Hex(3), scheme, secret }), HttpStatusCode.Created);
        return (string)created["id"]!;
    }

    /// <summary>A connection of the provider the event concerns, connected so that its grant reveals <paramref name="account"/>'s ids.</summary>
    private Task<string> ConnectAsync(Tenant tenant, string consentEvent, AccountIds account) => consentEvent switch
    {
        SlackAppUninstalled or SlackTokensRevoked => SlackConnectionAsync(tenant, account.Team),
        GitHubInstallationDeleted => AuthorizedConnectionAsync(tenant, "github", "&installation_id=" + account.Installation + "&setup_action=install"),
        StripeDeauthorized => StripeConnectionAsync(tenant, account.StripeAccount),
        ZoomDeauthorized => AuthorizedConnectionAsync(tenant, "zoom", ""),
        _ => throw new ArgumentOutOfRangeException(nameof(consentEvent)),
    };

    /// <summary>Another connection of the same provider in the tenant, of another account: it must stay active.</summary>
    private Task<string> BystanderAsync(Tenant tenant, string consentEvent) => consentEvent switch
    {
        // Zoom's user id is the OpenIddict server's one subject: every Zoom connection here is the same user.
        ZoomDeauthorized => SlackConnectionAsync(tenant, AccountIds.New().Team),
        _ => ConnectAsync(tenant, consentEvent, AccountIds.New()),
    };

    /// <summary>A Slack connection, connected with a token response shaped as https://api.slack.com/methods/oauth.v2.access documents it.</summary>
    private Task<string> SlackConnectionAsync(Tenant tenant, string team) => GrantedConnectionAsync(tenant, "slack", ScriptedResponse.Json(new
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

    /// <summary>A Stripe Connect connection (https://docs.stripe.com/connect/oauth-reference#post-token-response).</summary>
    private Task<string> StripeConnectionAsync(Tenant tenant, string account) => GrantedConnectionAsync(tenant, "stripe-connect", ScriptedResponse.Json(new
    {
        access_token = "sk_test_" + TestRandom.Hex(12), livemode = false, refresh_token = "rt_" + TestRandom.Hex(12), token_type = "bearer",
        stripe_publishable_key = "pk_test_" + TestRandom.Hex(12), stripe_user_id = account, scope = "read_write",
    }));

    /// <summary>
    /// A provider from <paramref name="template"/> whose token endpoint is the scripted server (set in the store: the API keeps a
    /// template's endpoints fixed), and a client-credentials connection of it connected through <c>POST …/grant</c>.
    /// </summary>
    private async Task<string> GrantedConnectionAsync(Tenant tenant, string template, ScriptedResponse tokenResponse)
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

    /// <summary>
    /// An authorization-code connection of the OpenIddict server (which has a userinfo endpoint answering <c>sub</c>) carrying
    /// <paramref name="template"/>'s id, connected through the browser flow with <paramref name="extraQuery"/> added to the callback.
    /// </summary>
    private async Task<string> AuthorizedConnectionAsync(Tenant tenant, string template, string extraQuery)
    {
        var providerId = await f.ProviderAsync(tenant);
        var providers = f.Hub.Services.GetRequiredService<IProviderStore>();
        var stored = (await providers.GetAsync(tenant.OrganizationId, tenant.ProjectId, providerId))!;
        Assert.Equal(WriteOutcome.Written, await providers.TryUpdateAsync(stored with { TemplateId = template }));
        var connectionId = await f.ConnectionAsync(tenant, providerId, "oauth2_authorization_code", "openid", "profile", "email", "api");
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
        return connectionId;
    }

    private async Task<HttpResponseMessage> PostAsync(string path, Delivery delivery)
    {
        using var client = f.Hub.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(delivery.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in delivery.Headers)
        {
            request.Headers.Add(name, value);
        }

        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>
    /// The handlers run after the provider's answer: waits until the connection is revoked (read in-process, so waiting writes no
    /// audit records), its tokens are forgotten (the handler's last step) and the change is audited and announced.
    /// </summary>
    private async Task<JsonNode> RevokedAsync(Tenant tenant, string connectionId)
    {
        var deadline = TimeProvider.System.GetUtcNow() + HandlerWait;
        while (true)
        {
            if ((await StateAsync(tenant, connectionId)).Status == ConnectionStatus.Revoked
                && (await f.StoredTokenAsync(tenant, connectionId)).ErrorCode == TokenErrors.NotConnected
                && (await StatusChangesAsync(tenant)).Any(a => (string?)a["target"] == "connection/" + connectionId)
                && (await ActivityAsync(tenant, "connection.revoked")).Any(e => (string?)e["data"]!["connection_id"] == connectionId))
            {
                return await f.StatusAsync(tenant, connectionId);
            }

            Assert.True(TimeProvider.System.GetUtcNow() < deadline,
                $"Connection {connectionId} was not revoked within {HandlerWait}: {(await f.StatusAsync(tenant, connectionId)).ToJsonString()}");
            await Task.Delay(200);
        }
    }

    private async Task<ConnectionState> StateAsync(Tenant tenant, string connectionId) =>
        (await f.Hub.Services.GetRequiredService<IConnectionStore>().GetAsync(tenant.OrganizationId, tenant.ProjectId, connectionId))!.State;

    private async Task<JsonNode> EventsAsync(Tenant tenant)
    {
        using var client = f.Hub.Client(tenant.OwnerKey);
        return await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/events"), HttpStatusCode.OK);
    }

    private async Task<List<JsonNode>> ActivityAsync(Tenant tenant, string? type)
    {
        using var client = f.Hub.Client(tenant.OwnerKey);
        var page = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/activity?per_page=100" + (type is null ? "" : "&type=" + type)), HttpStatusCode.OK);
        return [.. page["data"]!.AsArray().Select(e => e!)];
    }

    /// <summary>Successful status changes made by a webhook, from every page of the audit log (reading it is itself audited).</summary>
    private async Task<List<JsonNode>> StatusChangesAsync(Tenant tenant)
    {
        using var client = f.Hub.Client(tenant.OwnerKey);
        var records = new List<JsonNode>();
        for (var page = 1; ; page++)
        {
            var data = (await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/audit?per_page=100&page={page}"), HttpStatusCode.OK))["data"]!.AsArray();
            if (data.Count == 0)
            {
                return [.. records.Where(r => (string?)r["action"] == "connection.status.change" && (string?)r["outcome"] == "success"
                    && (string?)r["actor_type"] == ConsentRevocationHandler.ActorType)];
            }

            records.AddRange(data.Select(r => r!));
        }
    }

    /// <summary>The provider-side ids of one account: a Slack workspace, a GitHub App installation, a Stripe connected account.</summary>
    private sealed record AccountIds(string Team, string Installation, string StripeAccount)
    {
        public static AccountIds New() => new(
            "T" + TestRandom.Hex(8).ToUpperInvariant(),
            (Convert.ToInt64(TestRandom.Hex(6), 16) + 1).ToString(CultureInfo.InvariantCulture),
            "acct_" + TestRandom.Hex(8));
    }

    /// <summary>A delivery as the provider sends it: the documented body, and the headers its scheme signs it with.</summary>
    private sealed record Delivery(byte[] Body, IReadOnlyList<(string Name, string Value)> Headers, string EventType, string[] ReasonParts)
    {
        public static Delivery Of(string consentEvent, AccountIds account, string secret)
        {
            var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            return consentEvent switch
            {
                // https://api.slack.com/events/app_uninstalled
                SlackAppUninstalled => Slack(secret, now, $$$"""
                    {"token":"XXYYZZ","team_id":"{{{account.Team}}}","api_app_id":"A0KRD7HC3","event":{"type":"app_uninstalled"},
                     "type":"event_callback","event_id":"Ev{{{TestRandom.Hex(8).ToUpperInvariant()}}}","event_time":1234567890}
                    """, "app_uninstalled", [account.Team, "app_uninstalled"]),

                // https://api.slack.com/events/tokens_revoked: the bot user of the connection's token.
                SlackTokensRevoked => Slack(secret, now, $$$"""
                    {"token":"XXYYZZ","team_id":"{{{account.Team}}}","api_app_id":"A0KRD7HC3",
                     "event":{"type":"tokens_revoked","tokens":{"oauth":[],"bot":["{{{Bot}}}"]}},
                     "type":"event_callback","event_id":"Ev{{{TestRandom.Hex(8).ToUpperInvariant()}}}","event_time":1234567890}
                    """, "tokens_revoked", [account.Team, "tokens_revoked"]),

                // https://docs.github.com/webhooks/webhook-events-and-payloads#installation (deleted; abbreviated).
                GitHubInstallationDeleted => GitHub(secret, $$$"""
                    {"action":"deleted","installation":{"id":{{{account.Installation}}},"account":{"login":"octocat","id":1,"type":"User"},"app_id":1,
                     "target_type":"User"},"sender":{"login":"octocat","id":1}}
                    """),

                // https://docs.stripe.com/connect/webhooks: the connected account in the top-level "account".
                StripeDeauthorized => Stripe(secret, now, $$$"""
                    {"id":"evt_{{{TestRandom.Hex(8)}}}","object":"event","account":"{{{account.StripeAccount}}}","api_version":"2024-06-20","created":1686089970,
                     "data":{"object":{"id":"ca_FkyHCg7X8mlvCUdMDao4mMxagUfhIwXb","object":"application","name":"Hub"}},
                     "livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"account.application.deauthorized"}
                    """, account.StripeAccount),

                // https://developers.zoom.us/docs/api/rest/reference/marketplace/events/#app_deauthorized
                ZoomDeauthorized => Zoom(secret, now, $$$"""
                    {"event":"app_deauthorized","event_ts":{{{TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds()}}},
                     "payload":{"account_id":"EabCDEFghiLHMA","user_id":"{{{OpenIddictTestServer.UserSubject}}}","signature":"827edc3452044f0bc86bdd5684afb7d1e6becfa1a767f24df1b287853cf73000",
                     "deauthorization_time":"2019-06-17T13:52:28.632Z","client_id":"ADZ9k9bTWmGUoUbECUKU_a"}}
                    """),
                _ => throw new ArgumentOutOfRangeException(nameof(consentEvent)),
            };
        }

        // https://api.slack.com/authentication/verifying-requests-from-slack: v0=hex(HMAC-SHA256(secret, "v0:{ts}:{body}")).
        private static Delivery Slack(string secret, string timestamp, string body, string type, string[] reasonParts) => new(Bytes(body),
            [("X-Slack-Signature", "v0=" + Mac(secret, $"v0:{timestamp}:{body}")), ("X-Slack-Request-Timestamp", timestamp)], type, reasonParts);

        // https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries: sha256=hex(HMAC-SHA256(secret, body)).
        private static Delivery GitHub(string secret, string body) => new(Bytes(body),
            [("X-Hub-Signature-256", "sha256=" + Mac(secret, body)), ("X-GitHub-Event", "installation"), ("X-GitHub-Delivery", new Guid(RandomNumberGenerator.GetBytes(16)).ToString())],
            "installation.deleted", ["installation", "deleted"]);

        // https://docs.stripe.com/webhooks#verify-manually: t={ts},v1=hex(HMAC-SHA256(secret, "{ts}.{body}")).
        private static Delivery Stripe(string secret, string timestamp, string body, string account) => new(Bytes(body),
            [("Stripe-Signature", $"t={timestamp},v1={Mac(secret, $"{timestamp}.{body}")}")], "account.application.deauthorized",
            [account, "account.application.deauthorized"]);

        // https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events: v0=hex(HMAC-SHA256(secret, "v0:{ts}:{body}")).
        private static Delivery Zoom(string secret, string timestamp, string body) => new(Bytes(body),
            [("x-zm-signature", "v0=" + Mac(secret, $"v0:{timestamp}:{body}")), ("x-zm-request-timestamp", timestamp)], "app_deauthorized",
            [OpenIddictTestServer.UserSubject, "app_deauthorized"]);

        private static byte[] Bytes(string body) => Encoding.UTF8.GetBytes(body);

        private static string Mac(string secret, string payload) =>
            Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(payload)));
    }
}
