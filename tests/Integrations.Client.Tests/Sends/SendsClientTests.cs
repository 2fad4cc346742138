using System.Text;
using System.Text.Json;
using Integrations.Client.Connections;
using Integrations.Client.Secrets;
using Integrations.Client.Sends;
using Integrations.Client.Tests.Webhooks;

namespace Integrations.Client.Tests.Sends;

/// <summary>
/// Direct sends, every method once, against the Server process calling a loopback receiver. A send is one plain call (not a
/// signed webhook message), so the receiver checks what arrived: the rendered body, and through a connection its credential.
/// </summary>
[Collection(HubServerGroup.Name)]
public sealed class SendsClientTests(HubServer hub)
{
    [Fact]
    public async Task Create_BlockingToAUrlWithTemplateAndCondition_AnswersTheFirstAttemptAndTheReceiverGetsTheRenderedBody()
    {
        // Arrange
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        using var receiver = new CapturingReceiver();
        var send = NewSend.ToUrl(new Uri(receiver.Url, "orders")) with
        {
            Body = Json("""{"text":"Order {{order.id}} paid: {{amount}}"}"""),
            Context = Json("""{"order":{"id":"o-17"},"amount":250}"""),
            Condition = "amount > 100",
            Headers = new Dictionary<string, string> { ["X-Request-Source"] = "sdk-test" },
        };

        // Act
        var outcome = await client.Sends.CreateAsync(tenant.ProjectId, send);
        var (headers, body) = await receiver.NextAsync(TimeSpan.FromSeconds(10));
        var read = await client.Sends.GetAsync(tenant.ProjectId, outcome.Id!);

        // Assert
        Assert.False(outcome.Skipped);
        Assert.StartsWith("snd_", outcome.Id, StringComparison.Ordinal);
        Assert.Equal("delivered", outcome.Status);
        Assert.Equal("blocking", outcome.Send!.Mode);
        Assert.Equal(204, Assert.Single(outcome.Send.Attempts).StatusCode);
        Assert.Equal("""{"text":"Order o-17 paid: 250"}""", Encoding.UTF8.GetString(body));
        Assert.Equal("sdk-test", headers["X-Request-Source"].ToString());
        Assert.Equal(outcome.Id, read.Id);
        Assert.Equal("delivered", read.Status);
        Assert.Single(read.Attempts);
    }

    [Fact]
    public async Task Create_FireAndForgetWithRetryPolicy_AnswersPendingAndRetriesUntilDelivered()
    {
        // Arrange: the receiver fails the first attempt.
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        using var receiver = new CapturingReceiver { Status = 503 };
        var send = NewSend.ToUrl(receiver.Url) with
        {
            Body = Json("""{"ping":true}"""), FireAndForget = true, RetryPolicy = new SendRetryPolicy { Attempts = 3, Backoff = TimeSpan.Zero },
        };

        // Act
        var outcome = await client.Sends.CreateAsync(tenant.ProjectId, send);
        await receiver.NextAsync(TimeSpan.FromSeconds(15));
        receiver.Status = 200;
        await receiver.NextAsync(TimeSpan.FromSeconds(15));
        var read = await Eventually.UntilAsync(() => client.Sends.GetAsync(tenant.ProjectId, outcome.Id!), s => s.Status == "delivered");

        // Assert
        Assert.Equal("pending", outcome.Status);
        Assert.Null(outcome.Send);
        Assert.Equal("fire-and-forget", read.Mode);
        Assert.Equal(3, read.MaxAttempts);
        Assert.Equal("delivered", read.Status);
        Assert.Equal([503, 200], read.Attempts.Select(a => a.StatusCode));
    }

    [Fact]
    public async Task Create_ConditionFalse_IsSkippedAndNothingArrives()
    {
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        using var receiver = new CapturingReceiver();

        var outcome = await client.Sends.CreateAsync(tenant.ProjectId,
            NewSend.ToUrl(receiver.Url) with { Body = Json("{}"), Context = Json("""{"amount":5}"""), Condition = "amount > 100" });

        Assert.True(outcome.Skipped);
        Assert.Null(outcome.Id);
        Assert.False(await receiver.HasDeliveryWithinAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Create_ThroughAConnection_TheReceiverGetsTheConnectionsCredentialAtItsPath()
    {
        // Arrange: a bearer connection whose base URL is the receiver.
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        using var receiver = new CapturingReceiver();
        await client.Secrets.CreateAsync(tenant.ProjectId, new NewSecret("crm-token", "crm_live_abc") { AuthType = "bearer" });
        var connection = await client.Connections.CreateAsync(tenant.ProjectId, new NewConnection("crm", "bearer")
        {
            BaseUrl = receiver.Url.AbsoluteUri, SecretRefs = new Dictionary<string, string> { ["token"] = "crm-token" },
        });

        // Act
        var outcome = await client.Sends.CreateAsync(tenant.ProjectId, NewSend.ThroughConnection(connection.Id, "contacts?upsert=true") with { Body = Json("""{"name":"Ada"}""") });
        var (headers, body) = await receiver.NextAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal("delivered", outcome.Status);
        Assert.Equal(connection.Id, outcome.Send!.ConnectionId);
        Assert.Equal("Bearer crm_live_abc", headers["Authorization"].ToString());
        Assert.Equal("""{"name":"Ada"}""", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public async Task Create_ThroughAConnectionWithoutProxyScope_ThrowsForbidden()
    {
        var tenant = await hub.NewTenantAsync();
        using var owner = hub.Client(tenant);
        await owner.Secrets.CreateAsync(tenant.ProjectId, new NewSecret("t", "v") { AuthType = "bearer" });
        var connection = await owner.Connections.CreateAsync(tenant.ProjectId, new NewConnection("c", "bearer")
        {
            BaseUrl = "http://127.0.0.1:9/", SecretRefs = new Dictionary<string, string> { ["token"] = "t" },
        });
        var key = await hub.NewKeyAsync(tenant, "sends:write");
        using var client = hub.Client(tenant with { ApiKey = key });

        var error = await Assert.ThrowsAsync<HubForbiddenException>(() =>
            client.Sends.CreateAsync(tenant.ProjectId, NewSend.ThroughConnection(connection.Id, "x") with { Body = Json("{}") }));

        Assert.NotNull(error.Code);
    }

    [Fact]
    public async Task Create_GetMethod_ThrowsValidationExceptionNamingTheField()
    {
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);

        var error = await Assert.ThrowsAsync<HubValidationException>(() =>
            client.Sends.CreateAsync(tenant.ProjectId, NewSend.ToUrl(new Uri("http://127.0.0.1:9/")) with { Method = "GET" }));

        Assert.Equal("method", error.Field);
    }

    [Fact]
    public async Task Get_AnotherOrganizationsKey_ThrowsNotFound()
    {
        var tenant = await hub.NewTenantAsync();
        var other = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        using var intruder = hub.Client(other);
        using var receiver = new CapturingReceiver();
        var outcome = await client.Sends.CreateAsync(tenant.ProjectId, NewSend.ToUrl(receiver.Url) with { Body = Json("{}") });

        await Assert.ThrowsAsync<HubNotFoundException>(() => intruder.Sends.GetAsync(tenant.ProjectId, outcome.Id!));
        await Assert.ThrowsAsync<HubNotFoundException>(() => intruder.Sends.GetAsync(other.ProjectId, outcome.Id!));
    }

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
