using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integrations.Api.Tests.Connections;
using Integrations.Core.Sends;
using Integrations.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Sends;

/// <summary>The Server (Development: http base URLs allowed) with the outbound guard open to 127.0.0.0/8, a quick queue poll, and a loopback receiver.</summary>
public sealed class SendHubFixture : IAsyncLifetime
{
    public HubFixture Hub { get; } = new() { Environment = "Development" };

    public SendReceiver Receiver { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await SendReceiver.StartAsync();
        Hub.Settings["OutboundHttp:AllowedNetworks:0"] = "127.0.0.0/8";
        Hub.Settings["Jobs:QueuePollInterval"] = "00:00:00.100";
        await Hub.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

public sealed class SendsApiTests(SendHubFixture fixture) : IClassFixture<SendHubFixture>
{
    private const string TokenValue = "send-bearer-token-value-1";
    private const string ApiKeyValue = "sk_send_api_key_value_2";

    private HubFixture Hub => fixture.Hub;

    private SendReceiver Receiver => fixture.Receiver;

    internal static string Sends(Tenant tenant) => $"/v1/projects/{tenant.ProjectId}/sends";

    [Fact]
    public async Task Send_Blocking_ReturnsTheDeliveredAttempt_AndGetShowsItWithoutTheRequest()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var marker = "m-" + TestRandom.Hex(6);

        var sent = await Json(await client.PostAsJsonAsync(Sends(tenant), new
        {
            url = Receiver.Url($"ok/{marker}?sig=query-secret-1"),
            method = "PUT",
            headers = new Dictionary<string, string> { ["X-Signature"] = "header-secret-2", ["Authorization"] = "Bearer header-secret-3" },
            body = new { order = 42, note = "plain" },
        }), HttpStatusCode.OK);
        var fetched = await client.GetAsync($"{Sends(tenant)}/{(string)sent["id"]!}");
        var text = await fetched.Content.ReadAsStringAsync();

        Assert.Equal("delivered", (string?)sent["status"]);
        var attempt = Assert.Single(sent["attempts"]!.AsArray())!;
        Assert.Equal(200, (int)attempt["status_code"]!);
        Assert.True((long)attempt["duration_ms"]! >= 0);
        Assert.Equal("{\"received\":true}", (string?)attempt["response_body"]);
        var seen = Assert.Single(Receiver.With(marker));
        Assert.Equal("PUT", seen.Method);
        Assert.Equal("header-secret-2", seen.Headers["X-Signature"]);
        Assert.Equal("Bearer header-secret-3", seen.Headers["Authorization"]);
        Assert.StartsWith("application/json", seen.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal(42, JsonDocument.Parse(seen.Body).RootElement.GetProperty("order").GetInt32());
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal("delivered", (string?)JsonNode.Parse(text)!["status"]);
        Assert.Equal(Receiver.BaseUrl.GetLeftPart(UriPartial.Authority), (string?)JsonNode.Parse(text)!["target"]);
        foreach (var secret in new[] { "query-secret-1", "header-secret-2", "header-secret-3", marker, "plain" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Send_Blocking500_ReturnsRetrying_ThenTheQueueDelivers()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var key = TestRandom.Hex(8);

        var sent = await Json(await client.PostAsJsonAsync(Sends(tenant), new
        {
            url = Receiver.Url($"fail-once/{key}"),
            method = "POST",
            body = new { n = 1 },
            retry_policy = new { attempts = 3, backoff_ms = 50 },
        }), HttpStatusCode.OK);
        var done = await WaitForStatusAsync(client, tenant, (string)sent["id"]!, "delivered");

        Assert.Equal("retrying", (string?)sent["status"]);
        Assert.Equal(500, (int)sent["attempts"]![0]!["status_code"]!);
        Assert.Equal("boom", (string?)sent["attempts"]![0]!["response_body"]);
        var attempts = done["attempts"]!.AsArray();
        Assert.Equal([500, 200], attempts.Select(a => (int)a!["status_code"]!));
        Assert.Equal(2, Receiver.With(key).Count);
    }

    [Fact]
    public async Task Send_WithANamedStrategy_RetriesOnItsSchedule()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var key = TestRandom.Hex(8);

        var sent = await Json(await client.PostAsJsonAsync(Sends(tenant), new
        {
            url = Receiver.Url($"fail-once/{key}"), method = "POST", retry_policy = new { strategy = "linear_1s", attempts = 2 },
        }), HttpStatusCode.OK);
        var done = await WaitForStatusAsync(client, tenant, (string)sent["id"]!, "delivered");
        var tooMany = await client.PostAsJsonAsync(Sends(tenant), new { url = Receiver.Url("ok/m-strategy"), method = "POST", retry_policy = new { strategy = "linear_1s", attempts = 9 } });

        Assert.Equal(2, sent["max_attempts"]!.GetValue<int>());
        var attempts = done["attempts"]!.AsArray();
        Assert.Equal([500, 200], attempts.Select(a => (int)a!["status_code"]!));
        Assert.True(DateTimeOffset.Parse((string)attempts[1]!["at"]!, System.Globalization.CultureInfo.InvariantCulture)
            - DateTimeOffset.Parse((string)attempts[0]!["at"]!, System.Globalization.CultureInfo.InvariantCulture) >= TimeSpan.FromSeconds(0.9));
        Assert.Equal("retry_policy.attempts", (string?)(await Problem(tooMany, HttpStatusCode.BadRequest, "send-invalid"))["field"]);
    }

    [Fact]
    public async Task Send_FailingEveryAttempt_EndsFailed_AndA4xxIsNotRetried()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var marker503 = "m-" + TestRandom.Hex(6);
        var marker400 = "m-" + TestRandom.Hex(6);

        var unavailable = await Json(await client.PostAsJsonAsync(Sends(tenant), new
        {
            url = Receiver.Url($"status/503/{marker503}"), method = "POST", retry_policy = new { attempts = 3, backoff_ms = 0 },
        }), HttpStatusCode.OK);
        var refused = await Json(await client.PostAsJsonAsync(Sends(tenant), new
        {
            url = Receiver.Url($"status/400/{marker400}"), method = "POST", retry_policy = new { attempts = 3, backoff_ms = 0 },
        }), HttpStatusCode.OK);
        var failed = await WaitForStatusAsync(client, tenant, (string)unavailable["id"]!, "failed");

        Assert.Equal(3, failed["attempts"]!.AsArray().Count);
        Assert.Equal(3, Receiver.With(marker503).Count);
        Assert.Equal("failed", (string?)refused["status"]);
        Assert.Single(refused["attempts"]!.AsArray());
        Assert.Contains("400", (string?)refused["reason"], StringComparison.Ordinal);
        Assert.Single(Receiver.With(marker400));
    }

    [Fact]
    public async Task Send_FireAndForget_Returns202_AndArrives()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var marker = "m-" + TestRandom.Hex(6);

        var response = await client.PostAsJsonAsync(Sends(tenant), new { url = Receiver.Url($"ok/{marker}"), method = "PATCH", mode = "fire-and-forget", body = new { x = 1 } });
        var accepted = await Json(response, HttpStatusCode.Accepted);
        var done = await WaitForStatusAsync(client, tenant, (string)accepted["id"]!, "delivered");

        Assert.Equal("pending", (string?)accepted["status"]);
        Assert.Null(accepted["attempts"]);
        var seen = Assert.Single(Receiver.With(marker));
        Assert.Equal(("PATCH", "{\"x\":1}"), (seen.Method, seen.Body));
        Assert.Equal("fire-and-forget", (string?)done["mode"]);
    }

    [Theory]
    [InlineData("\", \"admin\": true, \"x\": \"")]
    [InlineData("\\\"}, \"admin\": true, \"y\": {\"")]
    [InlineData("{{secret}}")]
    public async Task Send_Template_CannotInjectJson(string hostile)
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var marker = "m-" + TestRandom.Hex(6);

        await Json(await client.PostAsJsonAsync(Sends(tenant), new
        {
            url = Receiver.Url($"ok/{marker}"),
            method = "POST",
            body = new { greeting = "Hello {{customer.name}}", admin = false, total = "{{total}}" },
            context = new { customer = new { name = hostile }, total = 12.5, secret = "not-rendered-twice" },
        }), HttpStatusCode.OK);

        var received = JsonDocument.Parse(Assert.Single(Receiver.With(marker)).Body).RootElement;
        Assert.Equal("Hello " + hostile, received.GetProperty("greeting").GetString());
        Assert.False(received.GetProperty("admin").GetBoolean());
        Assert.Equal("12.5", received.GetProperty("total").GetString());
        Assert.Equal(["greeting", "admin", "total"], received.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Send_Condition_TrueSends_FalseSkips_AndMaliciousIsRefused()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var marker = "m-" + TestRandom.Hex(6);
        object Send(string condition) => new
        {
            url = Receiver.Url($"ok/{marker}/{Uri.EscapeDataString(condition.Length > 20 ? condition[..20] : condition)}"),
            method = "POST",
            condition,
            context = new { totalAmount = 12000, status = "paid", digits = "99999" },
        };

        var sent = await Json(await client.PostAsJsonAsync(Sends(tenant), Send("totalAmount > 10000 && status == 'paid'")), HttpStatusCode.OK);
        var skipped = await Json(await client.PostAsJsonAsync(Sends(tenant), Send("totalAmount > 20000")), HttpStatusCode.OK);
        var function = await client.PostAsJsonAsync(Sends(tenant), Send("Sqrt(totalAmount) > 1"));
        var typeTrick = await client.PostAsJsonAsync(Sends(tenant), Send("digits > 10000"));
        var tooLong = await client.PostAsJsonAsync(Sends(tenant), Send(string.Concat(Enumerable.Repeat("status == 'paid' && ", 30)) + "true"));
        var nested = await client.PostAsJsonAsync(Sends(tenant), Send(string.Concat(Enumerable.Repeat("Abs(", 60)) + "1" + new string(')', 60) + " > 0"));

        Assert.Equal("delivered", (string?)sent["status"]);
        Assert.True((bool)skipped["skipped"]!);
        Assert.Null(skipped["id"]);
        await Problem(function, HttpStatusCode.BadRequest, "send-condition-refused");
        await Problem(typeTrick, HttpStatusCode.BadRequest, "send-condition-refused");
        await Problem(tooLong, HttpStatusCode.BadRequest, "send-condition-too-long");
        await Problem(nested, HttpStatusCode.BadRequest, "send-condition-refused");
        Assert.Single(Receiver.With(marker));
    }

    [Fact]
    public async Task Send_BadInput_Is400WithTheField_AndNothingIsSent()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var url = Receiver.Url("ok/m-bad-input");
        var cases = new (object Body, string Field)[]
        {
            (new { method = "POST" }, "url"),
            (new { url, connection_id = "con_aaaaaaaaaaaaaaaaaaaa", method = "POST" }, "connection_id"),
            (new { url, method = "GET" }, "method"),
            (new { url = "ftp://127.0.0.1/x", method = "POST" }, "url"),
            (new { url, method = "POST", timeout_ms = 500 }, "timeout_ms"),
            (new { url, method = "POST", retry_policy = new { attempts = 11 } }, "retry_policy.attempts"),
            (new { url, method = "POST", retry_policy = new { strategy = "forever" } }, "retry_policy.strategy"),
            (new { url, method = "POST", mode = "later" }, "mode"),
            (new { url, method = "POST", context = new[] { 1 } }, "context"),
            (new { url, method = "POST", headers = new Dictionary<string, string> { ["Host"] = "evil" } }, "headers.Host"),
            (new { url, method = "POST", headers = new Dictionary<string, string> { ["X-A"] = "a\r\nX-B: b" } }, "headers.X-A"),
            (new { url, method = "POST", body = new { a = "{{#each x}}{{/each}}" } }, "body"),
        };

        foreach (var (body, field) in cases)
        {
            var problem = await Json(await client.PostAsJsonAsync(Sends(tenant), body), HttpStatusCode.BadRequest);
            Assert.Equal(field, (string?)problem["field"]);
        }

        Assert.Empty(Receiver.With("m-bad-input"));
    }

    [Fact]
    public async Task Send_ThroughAConnection_InjectsItsCredential_AndGetNeverShowsIt()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "token", value = TokenValue }), HttpStatusCode.Created);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "key", value = ApiKeyValue }), HttpStatusCode.Created);
        var bearer = await CreateConnectionAsync(client, tenant, "bearer", new { token = "token" });
        var apiKey = await CreateConnectionAsync(client, tenant, "api_key", new { api_key = "key" }, new { @in = "header", name = "X-Api-Key" });
        var marker = "m-" + TestRandom.Hex(6);

        var viaBearer = await Json(await client.PostAsJsonAsync(Sends(tenant), new
        {
            connection_id = bearer, path = $"/hooks/{marker}-b?x=1", method = "POST", body = new { a = 1 },
        }), HttpStatusCode.OK);
        var viaKey = await Json(await client.PostAsJsonAsync(Sends(tenant), new
        {
            connection_id = apiKey, path = $"hooks/{marker}-k", method = "POST", mode = "fire-and-forget",
        }), HttpStatusCode.Accepted);
        var keyDone = await WaitForStatusAsync(client, tenant, (string)viaKey["id"]!, "delivered");
        var shown = await (await client.GetAsync($"{Sends(tenant)}/{(string)viaBearer["id"]!}")).Content.ReadAsStringAsync();

        Assert.Equal("delivered", (string?)viaBearer["status"]);
        Assert.Equal(bearer, (string?)viaBearer["connection_id"]);
        var b = Assert.Single(Receiver.With(marker + "-b"));
        Assert.Equal("/base/hooks/" + marker + "-b?x=1", b.Target);
        Assert.Equal("Bearer " + TokenValue, b.Headers["Authorization"]);
        var k = Assert.Single(Receiver.With(marker + "-k"));
        Assert.Equal(ApiKeyValue, k.Headers["X-Api-Key"]);
        Assert.Equal(apiKey, (string?)keyDone["connection_id"]);
        Assert.DoesNotContain(TokenValue, shown, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_ThroughAConnection_AuthorizationHeaderAndPathEscapesAreRefused()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "token", value = TokenValue }), HttpStatusCode.Created);
        var bearer = await CreateConnectionAsync(client, tenant, "bearer", new { token = "token" });

        var header = await client.PostAsJsonAsync(Sends(tenant), new
        {
            connection_id = bearer, path = "/hooks/m-auth", method = "POST", headers = new Dictionary<string, string> { ["Authorization"] = "Bearer mine" },
        });
        var climb = await client.PostAsJsonAsync(Sends(tenant), new { connection_id = bearer, path = "/../m-climb", method = "POST" });
        var unknown = await client.PostAsJsonAsync(Sends(tenant), new { connection_id = "con_aaaaaaaaaaaaaaaaaaaa", path = "/", method = "POST" });

        await Problem(header, HttpStatusCode.BadRequest, "send-invalid");
        await Problem(climb, HttpStatusCode.BadRequest, "proxy-invalid-path");
        await Problem(unknown, HttpStatusCode.NotFound, "not-found");
        Assert.Empty(Receiver.With("m-auth"));
        Assert.Empty(Receiver.With("m-climb"));
    }

    [Fact]
    public async Task Send_OtherTenantsSendAndConnection_Are404_AndNothingIsSent()
    {
        var victim = await Hub.CreateTenantAsync("Victim");
        var attacker = await Hub.CreateTenantAsync("Attacker");
        using var victimClient = Hub.Client(victim.OwnerKey);
        using var attackerClient = Hub.Client(attacker.OwnerKey);
        await Json(await victimClient.PostAsJsonAsync(victim.Secrets, new { name = "token", value = TokenValue }), HttpStatusCode.Created);
        var connection = await CreateConnectionAsync(victimClient, victim, "bearer", new { token = "token" });
        var send = await Json(await victimClient.PostAsJsonAsync(Sends(victim), new { url = Receiver.Url("ok/m-victim"), method = "POST" }), HttpStatusCode.OK);
        var id = (string)send["id"]!;

        var readInVictimsProject = await attackerClient.GetAsync($"{Sends(victim)}/{id}");
        var readInOwnProject = await attackerClient.GetAsync($"{Sends(attacker)}/{id}");
        var sendInVictimsProject = await attackerClient.PostAsJsonAsync(Sends(victim), new { url = Receiver.Url("ok/m-attacker-1"), method = "POST" });
        var borrowConnection = await attackerClient.PostAsJsonAsync(Sends(attacker), new { connection_id = connection, path = "/m-attacker-2", method = "POST" });

        Assert.Equal(HttpStatusCode.NotFound, readInVictimsProject.StatusCode);
        await Problem(readInOwnProject, HttpStatusCode.NotFound, "not-found");
        Assert.Equal(HttpStatusCode.NotFound, sendInVictimsProject.StatusCode);
        await Problem(borrowConnection, HttpStatusCode.NotFound, "not-found");
        Assert.Empty(Receiver.With("m-attacker"));
    }

    [Fact]
    public async Task Send_KeyWithoutTheScopes_Is403_AndNothingIsSent()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var owner = Hub.Client(tenant.OwnerKey);
        await Json(await owner.PostAsJsonAsync(tenant.Secrets, new { name = "token", value = TokenValue }), HttpStatusCode.Created);
        var connection = await CreateConnectionAsync(owner, tenant, "bearer", new { token = "token" });
        var send = await Json(await owner.PostAsJsonAsync(Sends(tenant), new { url = Receiver.Url("ok/m-scope-owner"), method = "POST" }), HttpStatusCode.OK);
        using var noSends = Hub.Client(await KeyAsync(owner, tenant, "connections:proxy", "connections:read", "webhooks:write", "messages:write"));
        using var noProxy = Hub.Client(await KeyAsync(owner, tenant, "sends:write", "connections:read"));

        var post = await noSends.PostAsJsonAsync(Sends(tenant), new { url = Receiver.Url("ok/m-scope-1"), method = "POST" });
        var get = await noSends.GetAsync($"{Sends(tenant)}/{(string)send["id"]!}");
        var viaConnection = await noProxy.PostAsJsonAsync(Sends(tenant), new { connection_id = connection, path = "/m-scope-2", method = "POST" });
        var viaUrl = await noProxy.PostAsJsonAsync(Sends(tenant), new { url = Receiver.Url("ok/m-scope-3"), method = "POST" });

        await Problem(post, HttpStatusCode.Forbidden, "missing-scope");
        await Problem(get, HttpStatusCode.Forbidden, "missing-scope");
        var problem = await Problem(viaConnection, HttpStatusCode.Forbidden, "missing-scope");
        Assert.Contains("connections:proxy", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, viaUrl.StatusCode);
        Assert.Empty(Receiver.With("m-scope-1"));
        Assert.Empty(Receiver.With("m-scope-2"));
        Assert.Single(Receiver.With("m-scope-3"));
    }

    [Fact]
    public async Task Send_QueueMessageDeliveredAgain_DoesNotSendTheAttemptTwice()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var marker = "m-" + TestRandom.Hex(6);
        var accepted = await Json(await client.PostAsJsonAsync(Sends(tenant), new { url = Receiver.Url($"ok/{marker}"), method = "POST", mode = "fire-and-forget" }),
            HttpStatusCode.Accepted);
        var id = (string)accepted["id"]!;
        await WaitForStatusAsync(client, tenant, id, "delivered");
        var service = Hub.Services.GetRequiredService<OutboundSendService>();
        var message = JsonSerializer.Serialize(new { organizationId = tenant.OrganizationId, projectId = tenant.ProjectId, sendId = id, attempt = 1 });

        // As the queue would hand it out again (at least once), first as a plain duplicate, then as a redelivery.
        var duplicate = await service.RunQueuedAsync(message, redelivered: false);
        var redelivered = await service.RunQueuedAsync(message, redelivered: true);
        var forged = await service.RunQueuedAsync("{\"sendId\":\"not-an-id\",\"attempt\":1}", redelivered: false);

        Assert.True(duplicate && redelivered);
        Assert.False(forged);
        Assert.Single(Receiver.With(marker));
        Assert.Single((await Json(await client.GetAsync($"{Sends(tenant)}/{id}"), HttpStatusCode.OK))["attempts"]!.AsArray());
    }

    [Fact]
    public async Task Cleanup_DeletesSendsPastTheirRetention()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var sent = await Json(await client.PostAsJsonAsync(Sends(tenant), new { url = Receiver.Url("ok/m-retention"), method = "POST" }), HttpStatusCode.OK);
        var service = Hub.Services.GetRequiredService<OutboundSendService>();

        var kept = await service.DeleteExpiredAsync(TimeSpan.FromDays(7));
        var stillThere = await client.GetAsync($"{Sends(tenant)}/{(string)sent["id"]!}");
        var deleted = await service.DeleteExpiredAsync(TimeSpan.FromMinutes(-1));
        var gone = await client.GetAsync($"{Sends(tenant)}/{(string)sent["id"]!}");

        Assert.Equal(0, kept);
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
        Assert.True(deleted >= 1);
        await Problem(gone, HttpStatusCode.NotFound, "not-found");
    }

    internal static async Task<JsonNode> WaitForStatusAsync(HttpClient client, Tenant tenant, string id, string status)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var send = await Json(await client.GetAsync($"{Sends(tenant)}/{id}"), HttpStatusCode.OK);
            if ((string?)send["status"] == status)
            {
                return send;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"The send is still {(string?)send["status"]}, not {status}: {send.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    private async Task<string> CreateConnectionAsync(HttpClient client, Tenant tenant, string type, object secretRefs, object? apiKey = null)
    {
        var body = new JsonObject
        {
            ["name"] = type + "-" + TestRandom.Hex(4), ["type"] = type, ["secret_refs"] = JsonNode.Parse(JsonSerializer.Serialize(secretRefs)),
            ["base_url"] = Receiver.Url("base/"),
        };
        if (apiKey is not null)
        {
            body["api_key"] = JsonNode.Parse(JsonSerializer.Serialize(apiKey));
        }

        var created = await Json(await client.PostAsJsonAsync(ConnectionsApiTests.Path(tenant), body), HttpStatusCode.Created);
        return (string)created["id"]!;
    }

    private static async Task<string> KeyAsync(HttpClient owner, Tenant tenant, params string[] scopes)
    {
        var key = await Json(await owner.PostAsJsonAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys", new { name = "limited-" + TestRandom.Hex(4), scopes }), HttpStatusCode.Created);
        return (string)key["key"]!;
    }
}
