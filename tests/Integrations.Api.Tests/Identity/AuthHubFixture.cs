using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Integrations.Api.Tests.Connections;
using Integrations.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Identity;

/// <summary>
/// Two Server instances (Production environment) over one storage account and one root key, every log line of both
/// recorded: a session ended on one must stop its access tokens on the other. The session check interval is 1 s and the
/// refresh-token grace window 0, so the tests need not wait long; the per-source auth limit is raised so the class's own
/// sign-ups and logins from 127.0.0.1 do not run into it.
/// </summary>
public sealed class AuthHubFixture : IAsyncLifetime
{
    public const string Password = "Kettle-Harbour-Quartz-91";

    private readonly string _rootKey = HubTestSettings.NewRootKey();

    public HubFixture Hub { get; } = new();

    public HubFixture Second { get; } = new();

    public RecordingLoggerProvider Logs { get; } = new();

    public async Task InitializeAsync()
    {
        foreach (var hub in new[] { Hub, Second })
        {
            hub.Settings["KeyWrapping:RootKey"] = _rootKey;
            hub.Settings["Hub:PublicBaseUrl"] = "https://hub.example.com";
            hub.Settings["Auth:SessionCheckInterval"] = "00:00:01";
            hub.Settings["Auth:RefreshTokenReuseGrace"] = "00:00:00";
            hub.Settings["RateLimits:Policies:auth"] = "1000";
            hub.Settings["Logging:LogLevel:Default"] = "Trace";
            hub.ConfigureServices = services => services.AddSingleton<ILoggerProvider>(Logs);
        }

        await Hub.InitializeAsync();
        Second.Settings["Storage:Prefix"] = Hub.Prefix;
        Second.Settings["Hub:AdminKey"] = Hub.AdminKey;
        await Second.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Second.DisposeAsync();
        await Hub.DisposeAsync();
    }

    /// <summary>Signs up a new person with <see cref="Password"/>; the token response.</summary>
    public async Task<JsonNode> SignUpAsync(string? email = null)
    {
        using var client = Hub.Client();
        return await Json(await client.PostAsJsonAsync("/v1/auth/signup", new
        {
            email = email ?? NewEmail(), password = Password, display_name = "Test Person",
        }), HttpStatusCode.Created);
    }

    public async Task<JsonNode> LoginAsync(string email, string password = Password, string? organizationId = null)
    {
        using var client = Hub.Client();
        return await Json(await client.PostAsJsonAsync("/v1/auth/login", new { email, password, organization_id = organizationId }), HttpStatusCode.OK);
    }

    public static string NewEmail() => $"person-{TestRandom.Hex(6)}@example.com";
}
