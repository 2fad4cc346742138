using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Integrations.Testing;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Identity;

/// <summary>
/// The Server with a platform project (its vault holding the event sealing key and the Resend key), Resend pointed at a
/// loopback fake, the outbound guard open to loopback, and cheap Argon2id parameters. The platform project is created through
/// the API of a first Server, then a second Server starts on the same storage with <c>Auth:Platform</c> naming it: settings
/// are read at start, and the project's ids exist only once created.
/// </summary>
public sealed class RecoveryApiFixture : IAsyncLifetime
{
    public const string ResendKey = "re_loopback_test_key_42";

    public byte[] SealingKey { get; } = RandomNumberGenerator.GetBytes(32);

    public HubFixture Hub { get; } = new() { Environment = "Development" };

    public FakeResendApi Resend { get; private set; } = null!;

    public Tenant Platform { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Resend = await FakeResendApi.StartAsync();
        var rootKey = HubTestSettings.NewRootKey();
        var setup = new HubFixture();
        setup.Settings["KeyWrapping:RootKey"] = rootKey;
        await setup.InitializeAsync();
        try
        {
            Platform = await setup.CreateTenantAsync("Platform");
            using var owner = setup.Client(Platform.OwnerKey);
            await Json(await owner.PostAsJsonAsync(Platform.Secrets, new { name = "auth-sealing-key", value = Convert.ToBase64String(SealingKey) }), HttpStatusCode.Created);
            await Json(await owner.PostAsJsonAsync(Platform.Secrets, new { name = "resend-api-key", value = ResendKey }), HttpStatusCode.Created);
        }
        finally
        {
            await setup.DisposeAsync();
        }

        var settings = Hub.Settings;
        settings["Storage:Prefix"] = setup.Prefix;
        settings["KeyWrapping:RootKey"] = rootKey;
        settings["OutboundHttp:AllowedNetworks:0"] = "127.0.0.0/8";
        settings["Auth:PasswordHashing:MemoryKiB"] = "7168";
        settings["Auth:PasswordHashing:Iterations"] = "5";
        settings["RateLimits:Policies:recovery"] = "1000";
        settings["Auth:Platform:OrganizationId"] = Platform.OrganizationId;
        settings["Auth:Platform:ProjectId"] = Platform.ProjectId;
        settings["Auth:Events:SealingKey"] = "auth-sealing-key";
        settings["Auth:SiteUrl"] = "https://app.example.com";
        settings["Auth:Resend:ApiKey"] = "resend-api-key";
        settings["Auth:Resend:BaseUrl"] = Resend.BaseUrl.AbsoluteUri;
        settings["Auth:Email:From"] = "Acme <no-reply@acme.example>";
        await Hub.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Resend.DisposeAsync();
    }
}
