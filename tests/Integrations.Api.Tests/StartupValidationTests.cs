using Integrations.Api.Identity;
using Integrations.Azure.Hosting;
using Integrations.Core.Hosting;
using Integrations.Core.Identity.Lockout;
using Integrations.Core.Identity.Passwords;
using Integrations.Http.OAuth;
using Integrations.Server;
using Integrations.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Tests;

/// <summary>
/// A missing or malformed setting stops the Server at start with a message that names it. The Server's own
/// registrations are composed and the start-up validation the host runs before listening is invoked.
/// </summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("KeyWrapping:RootKey", null, "KeyWrapping:RootKey")]
    [InlineData("KeyWrapping:RootKey", "dG9vIHNob3J0", "KeyWrapping:RootKey")]
    [InlineData("Hub:AdminKey", null, "Hub:AdminKey")]
    [InlineData("Hub:AdminKey", "short", "Hub:AdminKey")]
    [InlineData("Storage", null, "Storage")]
    [InlineData("Audit:SealSchedule", "every minute", "Audit:SealSchedule")]
    [InlineData("KeyWrapping:Provider", "KeyVault", "KeyWrapping:KeyId")]
    [InlineData("KeyWrapping:MaxUnwrappedKeyAge", "00:00:00", "KeyWrapping:MaxUnwrappedKeyAge")]
    [InlineData("Hub:MaxApiKeyLifetime", "00:00:00", "Hub:MaxApiKeyLifetime")]
    [InlineData("Hub:MaxApiKeysPerOrganization", "0", "Hub:MaxApiKeysPerOrganization")]
    [InlineData("Hub:MaxProjectsPerOrganization", "0", "Hub:MaxProjectsPerOrganization")]
    [InlineData("Hub:ApiKeyCleanupSchedule", "nightly", "Hub:ApiKeyCleanupSchedule")]
    [InlineData("OAuth:StateCleanupSchedule", "hourly", "OAuth:StateCleanupSchedule")]
    [InlineData("OAuth:RefreshAheadSchedule", "often", "OAuth:RefreshAheadSchedule")]
    [InlineData("OAuth:RefreshAheadBatchSize", "0", "OAuth:RefreshAheadBatchSize")]
    [InlineData("OAuth:ClientSecretExpiryCheckSchedule", "daily", "OAuth:ClientSecretExpiryCheckSchedule")]
    [InlineData("Vault:ExpiryCheckSchedule", "daily", "Vault:ExpiryCheckSchedule")]
    [InlineData("Counters:CleanupSchedule", "daily", "Counters:CleanupSchedule")]
    [InlineData("Counters:FlushInterval", "00:00:00", "Counters:FlushInterval")]
    [InlineData("Counters:Retention", "12:00:00", "Counters:Retention")]
    [InlineData("Counters:MaxBufferedKeys", "0", "Counters:MaxBufferedKeys")]
    [InlineData("Connections:HealthCheckSchedule", "daily", "Connections:HealthCheckSchedule")]
    [InlineData("Connections:HealthCheckConcurrency", "0", "Connections:HealthCheckConcurrency")]
    [InlineData("Connections:HealthCheckTimeout", "00:00:00", "Connections:HealthCheckTimeout")]
    [InlineData("OAuth:StateLifetime", "00:00:00", "OAuth:StateLifetime")]
    [InlineData("OAuth:StartLinkLifetime", "00:20:00", "OAuth:StartLinkLifetime")]
    [InlineData("Webhooks:CleanupSchedule", "daily", "Webhooks:CleanupSchedule")]
    [InlineData("Webhooks:EventRetention", "12:00:00", "Webhooks:EventRetention")]
    [InlineData("Webhooks:MaxBodyBytes", "10", "Webhooks:MaxBodyBytes")]
    [InlineData("Webhooks:QueuePrefix", "Web_Hooks", "Webhooks:QueuePrefix")]
    [InlineData("Hub:PublicBaseUrl", null, "Hub:PublicBaseUrl")]
    [InlineData("Hub:PublicBaseUrl", "hub.example.com", "Hub:PublicBaseUrl")]
    [InlineData("Hub:PublicBaseUrl", "http://hub.example.com", "Hub:PublicBaseUrl")]
    [InlineData("Hub:PublicBaseUrl", "https://hub.example.com/?x=1", "Hub:PublicBaseUrl")]
    [InlineData("OAuth:DiscoveryCacheDuration", "00:00:01", "OAuth:DiscoveryCacheDuration")]
    [InlineData("Webhooks:MaxSourcesPerProject", "0", "Webhooks:MaxSourcesPerProject")]
    [InlineData("Webhooks:SourceCacheDuration", "00:20:00", "Webhooks:SourceCacheDuration")]
    [InlineData("Webhooks:SendRetention", "00:10:00", "Webhooks:SendRetention")]
    [InlineData("OAuth:MaxDiscoveryDocumentBytes", "10", "OAuth:MaxDiscoveryDocumentBytes")]
    [InlineData("Webhooks:RetrySchedule", "0s,5s,soon", "Webhooks:RetrySchedule")]
    [InlineData("Webhooks:RetrySchedule", "0s,8d", "Webhooks:RetrySchedule")]
    [InlineData("Webhooks:PoisonDrainSchedule", "often", "Webhooks:PoisonDrainSchedule")]
    [InlineData("Webhooks:FanOutRecoverySchedule", "often", "Webhooks:FanOutRecoverySchedule")]
    [InlineData("Webhooks:FanOutRecoveryAfter", "00:00:00", "Webhooks:FanOutRecoveryAfter")]
    [InlineData("Auth:PasswordPolicy", "strong", "Auth:PasswordPolicy")]
    [InlineData("Auth:PasswordPolicy", "7", "Auth:PasswordPolicy")]
    [InlineData("Auth:PasswordHashing:MemoryKiB", "1024", "Auth:PasswordHashing:MemoryKiB")]
    [InlineData("Auth:PasswordHashing:MemoryKiB", "4194304", "Auth:PasswordHashing:MemoryKiB")]
    [InlineData("Auth:PasswordHashing:Iterations", "0", "Auth:PasswordHashing:Iterations")]
    [InlineData("Auth:PasswordHashing:Iterations", "1", "Auth:PasswordHashing:MemoryKiB × Auth:PasswordHashing:Iterations")]
    [InlineData("Auth:PasswordHashing:Parallelism", "4", "Auth:PasswordHashing:Parallelism")]
    [InlineData("Auth:AccessTokenLifetime", "00:00:10", "Auth:AccessTokenLifetime")]
    [InlineData("Auth:AccessTokenLifetime", "2.00:00:00", "Auth:AccessTokenLifetime")]
    [InlineData("Auth:ClockSkew", "00:05:00", "Auth:ClockSkew")]
    [InlineData("Auth:SessionCheckInterval", "00:00:31", "Auth:SessionCheckInterval")]
    [InlineData("Auth:SessionCheckInterval", "-00:00:01", "Auth:SessionCheckInterval")]
    [InlineData("Auth:RefreshTokenLifetime", "00:10:00", "Auth:RefreshTokenLifetime")]
    [InlineData("Auth:InvitationLifetime", "00:30:00", "Auth:InvitationLifetime")]
    [InlineData("Auth:InvitationLifetime", "31.00:00:00", "Auth:InvitationLifetime")]
    [InlineData("RateLimits:Policies:auth", "0", "RateLimits:Policies")]
    [InlineData("Auth:Issuer", "hub.example.com", "Auth:Issuer")]
    [InlineData("Auth:Issuer", "https://hub.example.com/?x=1", "Auth:Issuer")]
    [InlineData("Auth:Audience", "", "Auth:Audience")]
    [InlineData("Auth:Lockout:Window", "00:00:10", "Auth:Lockout:Window")]
    [InlineData("Auth:Lockout:MaxFailuresPerAccountSource", "0", "Auth:Lockout:MaxFailuresPerAccountSource")]
    [InlineData("Auth:Lockout:MaxFailuresPerAccount", "5", "Auth:Lockout:MaxFailuresPerAccount")]
    [InlineData("Auth:Lockout:LoginFailedEventInterval", "00:00:30", "Auth:Lockout:LoginFailedEventInterval")]
    [InlineData("Auth:Lockout:MaxFailuresPerAccount", "5000", "Auth:Lockout:MaxFailuresPerAccount")]
    [InlineData("Auth:Lockout:MaxFailuresPerSource", "3", "Auth:Lockout:MaxFailuresPerSource")]
    [InlineData("Auth:Lockout:AccountThrottleDelay", "00:00:00", "Auth:Lockout:AccountThrottleDelay")]
    [InlineData("Auth:Lockout:AccountThrottleDelay", "00:30:00", "Auth:Lockout:AccountThrottleDelay")]
    public async Task Start_WithBadSetting_FailsNamingTheSetting(string key, string? value, string named)
    {
        await using var services = await ServerServicesAsync(key, value);

        var error = Record.Exception(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.NotNull(error);
        Assert.True(error.ToString().Contains(named, StringComparison.Ordinal), error.ToString());
    }

    [Fact]
    public async Task Start_WithGoodSettings_Validates()
    {
        await using var services = await ServerServicesAsync("Storage:Prefix", AzuriteInstance.NewPrefix());

        services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Theory]
    [InlineData("Auth:PasswordPolicy", "nist")]
    [InlineData("Auth:PasswordPolicy", "seed")]
    [InlineData("Auth:PasswordHashing:MemoryKiB", "47104")]
    public async Task Start_WithGoodPasswordSetting_Validates(string key, string value)
    {
        await using var services = await ServerServicesAsync(key, value);

        services.GetRequiredService<IStartupValidator>().Validate();
        Assert.IsType<Argon2idPasswordHasher>(services.GetRequiredService<IPasswordHasher>());
        var expectedPolicy = key == "Auth:PasswordPolicy" ? value : "seed";
        Assert.Equal(expectedPolicy, services.GetRequiredService<PasswordPolicy>().Kind.ToString(), ignoreCase: true);
    }

    [Theory]
    [InlineData("Auth:Lockout:MaxFailuresPerAccount", "6")]
    [InlineData("Auth:Lockout:Window", "01:00:00")]
    [InlineData("Auth:Lockout:AccountThrottleDelay", "00:15:00")]
    public async Task Start_WithGoodLockoutSetting_Validates(string key, string value)
    {
        await using var services = await ServerServicesAsync(key, value);

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<LoginThrottle>(services.GetRequiredService<ILoginThrottle>());
        Assert.Same(services.GetRequiredService<ILoginThrottle>(), services.GetRequiredService<ILoginThrottleReset>());
        Assert.Equal(5, services.GetRequiredService<IOptions<LockoutOptions>>().Value.MaxFailuresPerAccountSource);
    }

    private static async Task<ServiceProvider> ServerServicesAsync(string key, string? value)
    {
        var settings = new HubTestSettings((await AzuriteInstance.Shared).ConnectionString).Build();
        settings["Audit:SealSchedule"] = "0 */5 * * * *";
        settings["Audit:CleanupSchedule"] = "0 30 3 * * *";
        settings["Hub:ApiKeyCleanupSchedule"] = "0 45 3 * * *";
        settings["Vault:PurgeSchedule"] = "0 45 3 * * *";
        settings["Vault:ExpiryCheckSchedule"] = "0 0 4 * * *";
        settings["OAuth:StateCleanupSchedule"] = "0 */15 * * * *";
        settings["OAuth:RefreshAheadSchedule"] = "0 */5 * * * *";
        settings["OAuth:ClientSecretExpiryCheckSchedule"] = "0 15 4 * * *";
        settings["Webhooks:CleanupSchedule"] = "0 20 4 * * *";
        settings["Auth:SessionCleanupSchedule"] = "0 40 4 * * *";
        settings["Webhooks:PoisonDrainSchedule"] = "0 * * * * *";
        settings["Webhooks:FanOutRecoverySchedule"] = "30 * * * * *";
        settings["Hub:PublicBaseUrl"] = "https://hub.example.com";
        settings["KeyWrapping:RotationCheckSchedule"] = "0 10 * * * *";
        settings["Counters:CleanupSchedule"] = "0 50 3 * * *";
        settings["Connections:HealthCheckSchedule"] = "0 0 5 * * *";
        settings[key] = value;
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging();
        services.AddIntegrationsCore().AddIntegrationsAzure().AddIntegrationsOAuth().AddIntegrationsApi().AddIntegrationsUserAuthentication().AddIntegrationsServerJobs();
        return services.BuildServiceProvider();
    }
}
