using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Integrations.Api.Tests.OutboundWebhooks;
using Integrations.Core.Events;
using Integrations.Core.Identity;
using Integrations.Core.Identity.Recovery;
using Integrations.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Identity;

/// <summary>
/// What the platform's app relies on: every auth event reaches its webhook endpoint on loopback, signed so that an independent
/// Standard Webhooks implementation verifies it, after the person does the thing over the hub's HTTP API.
/// </summary>
public sealed class AuthEventDeliveryTests(RecoveryApiFixture fixture) : IClassFixture<RecoveryApiFixture>, IAsyncLifetime
{
    private const string Password = "Kettle-Harbour-Quartz-91";
    private const string NewPassword = "Lantern-Meadow-Cobalt-58";

    private WebhookReceiver _receiver = null!;

    private HubFixture Hub => fixture.Hub;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task AuthEvents_EachOneAPersonCauses_IsDeliveredToThePlatformEndpointAndVerifies()
    {
        // Arrange: the platform's endpoint for auth.* (as its app would register it), and its signing secret.
        var url = _receiver.Statuses(204);
        using var owner = Hub.Client(fixture.Platform.OwnerKey);
        var endpoints = $"/v1/projects/{fixture.Platform.ProjectId}/webhook-endpoints";
        var endpoint = await Json(await owner.PostAsJsonAsync(endpoints, new { url, event_types = new[] { "auth.*" } }), HttpStatusCode.Created);
        var revealed = await Json(await owner.PostAsync($"{endpoints}/{(string)endpoint["id"]!}/secret/reveal", null), HttpStatusCode.OK);
        var secret = (string)revealed["keys"]![0]!["secret"]!;
        var email = $"p{TestRandom.Hex(16)}@example.com";
        using var anonymous = Hub.Client();

        // Act: what a person (and someone guessing their password) does.
        await Json(await anonymous.PostAsJsonAsync("/v1/auth/signup", new { email, password = Password }), HttpStatusCode.Created);
        for (var i = 0; i < 5; i++)
        {
            await anonymous.PostAsJsonAsync("/v1/auth/login", new { email, password = "Wrong-Password-" + i });
        }

        Assert.Equal(HttpStatusCode.Accepted, (await anonymous.PostAsJsonAsync("/v1/auth/password-reset", new { email })).StatusCode);
        var token = ResetTokenMailedTo(email);
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostAsJsonAsync("/v1/auth/password-reset/confirm", new { token, new_password = Password + "x" })).StatusCode);
        var tokens = await Json(await anonymous.PostAsJsonAsync("/v1/auth/login", new { email, password = Password + "x" }), HttpStatusCode.OK);
        var first = (string)tokens["refresh_token"]!;
        var second = (string)(await Json(await anonymous.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = first }), HttpStatusCode.OK))["refresh_token"]!;
        var third = await Json(await anonymous.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = second }), HttpStatusCode.OK);
        await anonymous.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = first }); // older than the one just used: a copy
        var login = await Json(await anonymous.PostAsJsonAsync("/v1/auth/login", new { email, password = Password + "x" }), HttpStatusCode.OK);
        using var person = Hub.Client();
        person.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)login["access_token"]!);
        Assert.Equal(HttpStatusCode.NoContent,
            (await person.PostAsJsonAsync("/v1/auth/password", new { current_password = Password + "x", new_password = NewPassword })).StatusCode);

        // The platform's app signs the same person in through Google: an existing account links with a provider-verified address.
        var social = await Hub.Services.GetRequiredService<ApiKeyService>()
            .CreateAsync(fixture.Platform.OrganizationId, "social login", [Scopes.AuthSocialLogin], null, "test-operator");
        using var platformApp = Hub.Client(social.Value!.Token);
        await Json(await platformApp.PostAsJsonAsync("/v1/auth/social-login",
            new { provider = "google", provider_user_id = "1098" + TestRandom.Hex(8), email, email_verified = true, display_name = "Pat" }), HttpStatusCode.OK);

        // Assert: each type arrives for this person, and verifies with the endpoint's secret.
        string[] expected =
        [
            HubEventTypes.AuthSignUp, HubEventTypes.AuthSocialLogin, HubEventTypes.AuthEmailVerificationRequired, HubEventTypes.AuthLoginFailed, HubEventTypes.AuthAccountLocked,
            HubEventTypes.AuthPasswordResetRequested, HubEventTypes.AuthRefreshTokenReuseDetected, HubEventTypes.AuthPasswordChanged,
        ];
        var received = await WaitForTypesAsync(url, email, expected);
        var verifier = new StandardWebhook(secret);
        foreach (var type in expected)
        {
            var delivery = received[type];
            var headers = new HeaderDictionary();
            foreach (var (name, value) in delivery.Headers)
            {
                headers[name] = value;
            }

            verifier.Verify(delivery.Body, headers);
            Assert.DoesNotContain(Password, delivery.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(NewPassword, delivery.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(token, delivery.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(first, delivery.Body, StringComparison.Ordinal);
            Assert.DoesNotContain((string)third["refresh_token"]!, delivery.Body, StringComparison.Ordinal);
        }

        // The body is the hub event ({id, type, subject, occurred_at, data}); the auth event's fields are its data.
        var failed = JsonNode.Parse(received[HubEventTypes.AuthLoginFailed].Body)!["data"]!["data"]!;
        Assert.Equal("1", (string?)failed["failures"]); // the first failure reports; the next four wait for the next interval
        Assert.Equal("900", (string?)failed["window_seconds"]);
    }

    /// <summary>The reset token in the mail the hub sent through the loopback Resend (sent before the request answers).</summary>
    private string ResetTokenMailedTo(string email)
    {
        var mail = Assert.Single(fixture.Resend.Requests, r => r.Body.Contains(email, StringComparison.Ordinal) && r.Body.Contains("Reset your password", StringComparison.Ordinal));
        var text = (string)JsonNode.Parse(mail.Body)!["text"]!;
        var start = text.IndexOf("token=", StringComparison.Ordinal) + "token=".Length;
        return text.Substring(start, RecoveryToken.Length);
    }

    /// <summary>Waits until a delivery of each type about <paramref name="email"/> has arrived at <paramref name="url"/>.</summary>
    private async Task<Dictionary<string, ReceivedDelivery>> WaitForTypesAsync(string url, string email, IReadOnlyCollection<string> types)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var found = new Dictionary<string, ReceivedDelivery>(StringComparer.Ordinal);
            foreach (var delivery in _receiver.At(url))
            {
                var body = JsonNode.Parse(delivery.Body)!;
                if ((string?)body["data"]?["data"]?["email"] == email && (string?)body["type"] is { } type)
                {
                    found.TryAdd(type, delivery);
                }
            }

            if (types.All(found.ContainsKey))
            {
                return found;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "Not delivered: " + string.Join(", ", types.Where(t => !found.ContainsKey(t))));
            await Task.Delay(200);
        }
    }
}
