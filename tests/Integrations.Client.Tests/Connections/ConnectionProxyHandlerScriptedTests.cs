namespace Integrations.Client.Tests.Connections;

/// <summary>The proxy handler against a scripted hub: answers the real hub gives only under load or misconfiguration.</summary>
public sealed class ConnectionProxyHandlerScriptedTests
{
    [Fact]
    public async Task Send_HubRateLimited_ThrowsRateLimitedException_WithoutRetrying()
    {
        // Arrange: the client retries a 429 of its own calls three times; a proxied call is not its to repeat.
        using var stub = new ScriptedHub().Then(429, "0").Then(429, "0");
        using var client = new IntegrationsHubClient(new IntegrationsHubClientOptions
        {
            BaseAddress = stub.BaseAddress, ApiKey = "ihk_test", MaxRetries = 3, RetryDelay = TimeSpan.FromMilliseconds(10),
        });
        using var http = new HttpClient(client.Connections.CreateProxyHandler("prj_1", "con_1")) { BaseAddress = new Uri("https://api.example.test/") };

        // Act
        var error = await Assert.ThrowsAsync<HubRateLimitedException>(() => http.PostAsync("charges", new StringContent("once")));

        // Assert
        Assert.Equal(1, stub.Requests);
        Assert.Equal(TimeSpan.Zero, error.RetryAfter);
    }

    [Fact]
    public async Task Send_SuccessWithoutXHubAttempts_ThrowsInsteadOfPassingItOff()
    {
        // Arrange: something that answers 200 but is not the hub's proxy.
        using var stub = new ScriptedHub();
        using var client = new IntegrationsHubClient(stub.BaseAddress, "ihk_test");
        using var http = new HttpClient(client.Connections.CreateProxyHandler("prj_1", "con_1")) { BaseAddress = new Uri("https://api.example.test/") };

        // Act
        var error = await Assert.ThrowsAsync<IntegrationsHubException>(() => http.GetAsync("items"));

        // Assert
        Assert.Contains("X-Hub-Attempts", error.Message, StringComparison.Ordinal);
    }
}
