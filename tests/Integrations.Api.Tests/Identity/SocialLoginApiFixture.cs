using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Integrations.Api.Tests.Connections;
using Integrations.Core.Identity;
using Integrations.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Identity;

/// <summary>
/// The Server with a platform project (<c>Auth:Platform</c>, its vault holding the event sealing key), cheap Argon2id
/// parameters, every log line recorded, a platform key holding <c>auth:social-login</c> (given by the operator path, as
/// <c>ihub keys create</c> does), and another tenant. As in <see cref="RecoveryApiFixture"/>, the platform project is made
/// by a first Server and a second starts on the same storage with the settings naming it.
/// </summary>
public sealed class SocialLoginApiFixture : IAsyncLifetime
{
    public HubFixture Hub { get; } = new();

    public RecordingLoggerProvider Logs { get; } = new();

    public Tenant Platform { get; private set; } = null!;

    /// <summary>The storage prefix the Server runs on (the first Server's).</summary>
    public string Prefix { get; private set; } = null!;

    public Tenant Other { get; private set; } = null!;

    /// <summary>A key of the platform organization with only <c>auth:social-login</c>.</summary>
    public string SocialKey { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var rootKey = HubTestSettings.NewRootKey();
        var setup = new HubFixture();
        setup.Settings["KeyWrapping:RootKey"] = rootKey;
        await setup.InitializeAsync();
        try
        {
            Platform = await setup.CreateTenantAsync("Platform");
            using var owner = setup.Client(Platform.OwnerKey);
            await Json(await owner.PostAsJsonAsync(Platform.Secrets, new { name = "auth-sealing-key", value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }),
                HttpStatusCode.Created);
        }
        finally
        {
            await setup.DisposeAsync();
        }

        var settings = Hub.Settings;
        Prefix = setup.Prefix;
        settings["Storage:Prefix"] = setup.Prefix;
        settings["KeyWrapping:RootKey"] = rootKey;
        settings["Auth:PasswordHashing:MemoryKiB"] = "7168";
        settings["Auth:PasswordHashing:Iterations"] = "5";
        settings["Auth:SessionCheckInterval"] = "00:00:00";
        settings["RateLimits:Policies:auth"] = "1000";
        settings["Auth:Platform:OrganizationId"] = Platform.OrganizationId;
        settings["Auth:Platform:ProjectId"] = Platform.ProjectId;
        settings["Auth:Events:SealingKey"] = "auth-sealing-key";
        settings["Auth:SiteUrl"] = "https://app.example.com";
        settings["Logging:LogLevel:Default"] = "Trace";
        Hub.ConfigureServices = services => services.AddSingleton<ILoggerProvider>(Logs);
        await Hub.InitializeAsync();
        Other = await Hub.CreateTenantAsync("Other");
        var created = await Hub.Services.GetRequiredService<ApiKeyService>()
            .CreateAsync(Platform.OrganizationId, "platform app social login", [Scopes.AuthSocialLogin], null, "test-operator");
        Assert.True(created.IsSuccess, created.Error?.Message);
        SocialKey = created.Value.Token;
    }

    public Task DisposeAsync() => Hub.DisposeAsync();

    /// <summary>A social-login body for a fresh Google account of <paramref name="email"/>.</summary>
    public static object Profile(string email, string providerUserId, bool emailVerified = true, string provider = "google") => new
    {
        provider, provider_user_id = providerUserId, email, email_verified = emailVerified, display_name = "Social Person",
        avatar_url = "https://lh3.example.com/a.png",
    };

    public static string NewProviderUserId() => "sub-" + TestRandom.Hex(12);
}
