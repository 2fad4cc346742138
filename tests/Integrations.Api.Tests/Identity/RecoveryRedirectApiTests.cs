using System.Net;
using System.Net.Http.Json;
using Integrations.Core.Identity.Recovery;
using Integrations.Core.Identity.Users;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Identity;

/// <summary>The Server with <c>Auth:CallbackRedirectUrl</c> set and a small per-source limit on the recovery routes.</summary>
public sealed class RecoveryRedirectFixture : IAsyncLifetime
{
    public HubFixture Hub { get; } = new();

    public async Task InitializeAsync()
    {
        Hub.Settings["Auth:CallbackRedirectUrl"] = "https://app.example.com/verified?from=hub";
        // The limit test comes from its own forwarded address, so it does not spend the other test's budget.
        Hub.Settings["RateLimits:TrustForwardedFor"] = "true";
        Hub.Settings["Auth:PasswordHashing:MemoryKiB"] = "7168";
        Hub.Settings["Auth:PasswordHashing:Iterations"] = "5";
        await Hub.InitializeAsync();
    }

    public Task DisposeAsync() => Hub.DisposeAsync();
}

public sealed class RecoveryRedirectApiTests(RecoveryRedirectFixture fixture) : IClassFixture<RecoveryRedirectFixture>
{
    [Fact]
    public async Task Verify_WithCallbackRedirectUrl_Redirects_WithTheOutcomeButNeverTheToken()
    {
        var hub = fixture.Hub;
        var user = await hub.Services.GetRequiredService<UserSessionService>().SignUpAsync("redirect@example.com", "Kettle-Harbour-Quartz-91", null);
        var issued = await hub.Services.GetRequiredService<RecoveryService>().IssueVerificationAsync(user.Value!.Id);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = hub.BaseAddress };

        var verified = await browser.GetAsync($"/v1/auth/verify?token={issued.Value!.Token}&type=signup");
        var used = await browser.GetAsync($"/v1/auth/verify?token={issued.Value.Token}&type=signup");

        Assert.Equal(HttpStatusCode.Redirect, verified.StatusCode);
        Assert.Equal("https://app.example.com/verified?from=hub&verified=true", verified.Headers.Location?.AbsoluteUri);
        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.Equal($"https://app.example.com/verified?from=hub&error={RecoveryErrors.RecoveryTokenUsed}", used.Headers.Location?.AbsoluteUri);
        Assert.DoesNotContain(issued.Value.Token, used.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecoveryRoutes_PastTheDefaultLimitFromOneSource_Answer429WithRetryAfter()
    {
        using var anonymous = fixture.Hub.Client();
        anonymous.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.77");
        using var other = fixture.Hub.Client();
        other.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.78");
        var answers = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        // RateLimits:Policies:recovery defaults to 10.
        for (var i = 0; i < 11; i++)
        {
            last = await anonymous.PostAsJsonAsync("/v1/auth/password-reset", new { email = "nobody@example.com" });
            answers.Add(last.StatusCode);
        }

        Assert.All(answers.Take(10), status => Assert.Equal(HttpStatusCode.Accepted, status));
        await Problem(last!, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Equal(HttpStatusCode.Accepted, (await other.PostAsJsonAsync("/v1/auth/password-reset", new { email = "nobody@example.com" })).StatusCode);
        Assert.True(last!.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }
}
