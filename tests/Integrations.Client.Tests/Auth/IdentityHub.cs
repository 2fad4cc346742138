using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Integrations.Client.Tests.Webhooks;
using Integrations.Client.WebhookEndpoints;
using Integrations.Client.Webhooks;
using Integrations.Core.Identity.Recovery;
using Integrations.Testing;

namespace Integrations.Client.Tests.Auth;

/// <summary>
/// The Server with people's accounts wired as a platform runs them: a platform organization and project (its vault holding the
/// key that seals recovery links), auth events published to the platform's webhook endpoint on a loopback receiver, cheap
/// Argon2id and high per-address limits. Settings are read at start and the platform's ids exist only once created, so a
/// first Server creates them and a second one starts on the same storage naming them.
/// Tests read a verification or reset token the way a platform's app does: from the signed event, opened with the sealing key.
/// </summary>
public sealed class IdentityHub : IAsyncLifetime, IDisposable
{
    public const string SealingKeyName = "auth-sealing-key";

    private readonly byte[] _sealingKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentQueue<JsonNode> _events = new();
    private ServerProcess? _server;
    private CapturingReceiver? _receiver;
    private IReadOnlyList<string> _eventSecrets = [];

    public Uri BaseAddress => _server!.BaseAddress;

    /// <summary>The platform's organization, its owner key and project.</summary>
    public Tenant Platform { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteInstance.Shared;
        var settings = new HubTestSettings(azurite.ConnectionString).Build();
        settings["OutboundHttp:AllowedNetworks:0"] = "127.0.0.1/32";
        settings["Auth:PasswordHashing:MemoryKiB"] = "7168";
        settings["Auth:PasswordHashing:Iterations"] = "5";
        settings["RateLimits:Policies:auth"] = "1000";
        settings["RateLimits:Policies:recovery"] = "1000";
        // Access tokens of ended sessions are refused at once (the hub allows up to 30 s), so a test sees logout-all take effect.
        settings["Auth:SessionCheckInterval"] = "00:00:00";
        var adminKey = settings["Hub:AdminKey"]!;

        await using (var setup = await ServerProcess.StartAsync(settings, "Development"))
        {
            using var http = new HttpClient { BaseAddress = setup.BaseAddress };
            await setup.WaitUntilReadyAsync(http);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
            var org = await Json(await http.PostAsJsonAsync("v1/orgs", new { name = "Platform" }), HttpStatusCode.Created);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)org["api_key"]!);
            var project = await Json(await http.PostAsJsonAsync("v1/projects", new { name = "platform" }), HttpStatusCode.Created);
            Platform = new Tenant((string)org["id"]!, (string)org["api_key"]!, (string)project["id"]!);
            await Json(await http.PostAsJsonAsync($"v1/projects/{Platform.ProjectId}/secrets", new { name = SealingKeyName, value = Convert.ToBase64String(_sealingKey) }),
                HttpStatusCode.Created);
        }

        settings["Auth:Platform:OrganizationId"] = Platform.OrganizationId;
        settings["Auth:Platform:ProjectId"] = Platform.ProjectId;
        settings["Auth:Events:SealingKey"] = SealingKeyName;
        settings["Auth:SiteUrl"] = "https://app.example.com";
        _server = await ServerProcess.StartAsync(settings, "Development");
        using (var http = new HttpClient())
        {
            await _server.WaitUntilReadyAsync(http);
        }

        _receiver = new CapturingReceiver();
        using var platform = Client(Platform.ApiKey);
        var endpoint = await platform.WebhookEndpoints.CreateAsync(Platform.ProjectId, new NewWebhookEndpoint(_receiver.Url) { EventTypes = ["auth.*"] });
        _eventSecrets = (await platform.WebhookEndpoints.RevealSecretsAsync(Platform.ProjectId, endpoint.Id)).Secrets;
    }

    /// <summary>xunit calls this after <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => _receiver?.Dispose();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A client whose bearer credential is <paramref name="apiKey"/> (an API key, or a person's access token).</summary>
    public IntegrationsHubClient Client(string apiKey) => new(BaseAddress, apiKey);

    /// <summary>
    /// The recovery token of the next <paramref name="eventType"/> event (<c>auth.email_verification_required</c>,
    /// <c>auth.password_reset_requested</c>) for <paramref name="userId"/>: the delivery verified with the endpoint's secret, its
    /// <c>sealed_link</c> opened with the platform's key, as the platform's app does.
    /// </summary>
    public async Task<string> NextRecoveryTokenAsync(string eventType, string userId)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (_events.FirstOrDefault(e => (string?)e["type"] == eventType && (string?)e["data"]?["data"]?["user_id"] == userId) is { } found)
            {
                var sealedLink = (string)found["data"]!["data"]!["sealed_link"]!;
                var opened = RecoveryDelivery.OpenSealedLink(sealedLink, _sealingKey, eventType, userId);
                Assert.NotNull(opened);
                return opened.Value.Token;
            }

            var (headers, body) = await _receiver!.NextAsync(TimeSpan.FromSeconds(30));
            var evt = WebhookVerifier.Verify(_eventSecrets, headers, body);
            _events.Enqueue(JsonNode.Parse(evt.Body.Span)!);
            cancel.Token.ThrowIfCancellationRequested();
        }
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
            return JsonNode.Parse(body)!;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class IdentityHubGroup : ICollectionFixture<IdentityHub>
{
    public const string Name = "identity hub";
}
