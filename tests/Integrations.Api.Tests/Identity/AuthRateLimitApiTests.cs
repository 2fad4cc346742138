using System.Net;
using System.Net.Http.Json;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Identity;

/// <summary>The anonymous auth routes are limited per source address (<c>RateLimits:Policies:auth</c>, 3 a minute here).</summary>
public sealed class AuthRateLimitApiTests : IClassFixture<AuthRateLimitApiTests.LimitedHub>
{
    private readonly HubFixture _hub;

    public AuthRateLimitApiTests(LimitedHub hub) => _hub = hub.Hub;

    [Fact]
    public async Task Login_PastTheSourcesBudget_Is429WithRetryAfter_BeforeAnyPasswordWork()
    {
        using var client = _hub.Client();
        for (var i = 0; i < 3; i++)
        {
            await Problem(await client.PostAsJsonAsync("/v1/auth/login", new { email = AuthHubFixture.NewEmail(), password = "Wrong-Password-77!" }),
                HttpStatusCode.Unauthorized, "invalid-credentials");
        }

        var limited = await client.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = "ihr_whatever" });

        await Problem(limited, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.InRange(limited.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 60);
    }

    public sealed class LimitedHub : IAsyncLifetime
    {
        public HubFixture Hub { get; } = new();

        public Task InitializeAsync()
        {
            Hub.Settings["Hub:PublicBaseUrl"] = "https://hub.example.com";
            Hub.Settings["RateLimits:Policies:auth"] = "3";
            return Hub.InitializeAsync();
        }

        public Task DisposeAsync() => Hub.DisposeAsync();
    }
}
