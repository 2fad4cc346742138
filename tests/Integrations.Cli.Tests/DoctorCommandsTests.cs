using Integrations.Core.Common;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Cli.Tests;

/// <summary><c>ihub doctor</c> reports each item of the production checklist that a configuration misses, and how to fix it.</summary>
public sealed class DoctorCommandsTests
{
    [Fact]
    public async Task Doctor_ProductionReadySettings_PassesWithExitCode0()
    {
        // Arrange
        var hub = ProductionHub();

        // Act
        var result = await hub.RunAsync("doctor");

        // Assert
        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Printed(result, "Everything on the checklist passes.");
        Assert.DoesNotContain("FIX", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Hub:PublicBaseUrl", null, "Hub:PublicBaseUrl is not set")]
    [InlineData("Hub:PublicBaseUrl", "http://hub.example.com", "Hub:PublicBaseUrl is http://hub.example.com")]
    [InlineData("OAuth:Providers:acme:TokenEndpoint", "http://login.acme.example/token", "OAuth:Providers:acme:TokenEndpoint")]
    [InlineData("KeyWrapping:Provider", "Local", "KeyWrapping:Provider is Local")]
    [InlineData("KeyWrapping:KeyId", "http://kv.vault.azure.net/keys/hub-root", "KeyWrapping:KeyId is not an https Key Vault key URL")]
    [InlineData("KeyWrapping:RootKey", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "KeyWrapping:RootKey is still set")]
    [InlineData("Audit:Retention", "30.00:00:00", "Audit:Retention is 30 days")]
    [InlineData("Audit:SealSchedule", null, "Audit:SealSchedule is not set")]
    [InlineData("KeyWrapping:RotationSchedule", null, "KeyWrapping:RotationSchedule is empty")]
    [InlineData("Storage", "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net", "Storage holds a connection string with an account key")]
    [InlineData("AzureWebJobsStorage", "UseDevelopmentStorage=true", "AzureWebJobsStorage holds a connection string")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING", null, "APPLICATIONINSIGHTS_CONNECTION_STRING is not set")]
    [InlineData("Hub:AdminKey", "short", "Hub:AdminKey")]
    public async Task Doctor_SettingMissesTheChecklist_PrintsTheProblemAndExits1(string key, string? value, string problem)
    {
        // Arrange
        var hub = ProductionHub();
        hub.Settings[key] = value;

        // Act
        var result = await hub.RunAsync("doctor");

        // Assert: the problem, and a line that says how to fix it.
        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Printed(result, problem);
        Printed(result, "How: ");
        Printed(result, "checks need a fix.");
    }

    [Fact]
    public async Task Doctor_LocalSetupInDevelopment_Passes()
    {
        // Arrange: what run.sh uses: Azurite, a local root key, http on loopback, no telemetry, no rotation schedule.
        var hub = CliHarness.WithoutStorage();
        hub.Settings["Hub:PublicBaseUrl"] = "http://localhost:7071";
        hub.Settings["Audit:SealSchedule"] = "0 */5 * * * *";
        hub.Settings["KeyWrapping:RotationSchedule"] = "0 0 3 1 1,4,7,10 *";

        // Act
        var result = await hub.RunAsync("doctor", "--environment", "Development");

        // Assert
        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
    }

    [Fact]
    public async Task Doctor_LocalSetupInProduction_ListsEveryProblem()
    {
        // Arrange
        var hub = CliHarness.WithoutStorage();
        hub.Settings["Hub:PublicBaseUrl"] = "http://localhost:7071";

        // Act: no --environment and none in the settings: Production.
        var result = await hub.RunAsync("doctor");

        // Assert
        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Printed(result, "for Production");
        Printed(result, "KeyWrapping:Provider is Local");
        Printed(result, "Storage holds a connection string");
        Printed(result, "Hub:PublicBaseUrl is http://localhost:7071");
    }

    [Fact]
    public async Task Doctor_AzureCliAppSettingsFile_ChecksThoseSettingsInstead()
    {
        // Arrange: `az functionapp config appsettings list` output, ':' spelt '__'; the environment's settings are good.
        var hub = ProductionHub();
        var file = Path.GetTempFileName();
        try
        {
            var settings = ProductionSettings();
            settings.Remove("KeyWrapping:RotationSchedule");
            await File.WriteAllTextAsync(file, System.Text.Json.JsonSerializer.Serialize(
                settings.Select(s => new { name = s.Key.Replace(":", "__", StringComparison.Ordinal), value = s.Value, slotSetting = false })));

            // Act
            var result = await hub.RunAsync("doctor", "--settings", file);

            // Assert: the file's missing schedule is found, so the file was read and the environment was not.
            Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
            Printed(result, "KeyWrapping:RotationSchedule is empty");
            Printed(result, "1 of 8 checks need a fix.");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Doctor_LocalSettingsFile_ReadsItsValues()
    {
        // Arrange: a local.settings.json whose Values are production-ready.
        var hub = CliHarness.WithoutStorage();
        var file = Path.GetTempFileName();
        try
        {
            var values = ProductionSettings().ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
            await File.WriteAllTextAsync(file, System.Text.Json.JsonSerializer.Serialize(new { IsEncrypted = false, Values = values }));

            // Act
            var result = await hub.RunAsync("doctor", "--settings", file);

            // Assert
            Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Doctor_UnreadableSettingsFile_ExitsWithConfigurationError()
    {
        // Arrange
        var hub = ProductionHub();
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "{ not json");

            // Act
            var result = await hub.RunAsync("doctor", "--settings", file);

            // Assert
            Assert.True(result.ExitCode == ExitCodes.Configuration, result.ToString());
            Assert.Contains("cannot be read as JSON", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("hmac", null, null, 300, false)]
    [InlineData("hmac", "X-Timestamp", null, 300, true)]
    [InlineData("hmac", null, "X-Event-Id", 300, true)]
    [InlineData("stripe", null, null, 300, true)]
    [InlineData("stripe", null, null, 3600, false)]
    public void WebhookReplay_Source_IsJudgedByItsTimestampEventIdAndTolerance(string scheme, string? timestampHeader, string? eventIdHeader, int tolerance, bool protectedAgainstReplay)
    {
        // Arrange
        var source = Source(scheme, timestampHeader, eventIdHeader, tolerance);

        // Act
        var finding = DoctorChecks.WebhookReplay([source]);

        // Assert
        Assert.Equal(protectedAgainstReplay, finding.Passed);
        if (!protectedAgainstReplay)
        {
            Assert.Contains(source.Id, finding.Problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Doctor_WithSources_ReportsAnHmacSourceWithoutReplayProtection()
    {
        // Arrange: a production-ready configuration on Azurite (as in Development), and one source in storage.
        var hub = await CliHarness.StartAsync();
        hub.Settings["Hub:PublicBaseUrl"] = "https://hub.example.com";
        hub.Settings["Audit:SealSchedule"] = "0 */5 * * * *";
        hub.Settings["KeyWrapping:RotationSchedule"] = "0 0 3 1 1,4,7,10 *";
        var source = Source("hmac", null, null, 300);
        await using (var services = await hub.ServicesAsync())
        {
            Assert.Equal(WriteOutcome.Written, await services.Services.GetRequiredService<IWebhookSourceStore>().TryCreateAsync(source));
        }

        // Act
        var result = await hub.RunAsync("doctor", "--environment", "Development", "--sources");

        // Assert
        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Printed(result, $"{source.OrganizationId}/{source.ProjectId}/{source.Id} (unsafe): hmac with no timestamp header and no event id");
    }

    private static WebhookSource Source(string scheme, string? timestampHeader, string? eventIdHeader, int tolerance) => new(
        Ids.New(WebhookSource.IdPrefix), "org_aaaaaaaaaaaaaaaaaaaa", "prj_aaaaaaaaaaaaaaaaaaaa", "unsafe", scheme, null,
        new WebhookSourceSettings(tolerance, scheme == "hmac" ? new HmacSchemeSettings("X-Signature", TimestampHeader: timestampHeader) : null, eventIdHeader),
        [], Enabled: true, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    private static void Printed(CliResult result, string text) =>
        Assert.True(result.Output.Contains(text, StringComparison.Ordinal), $"Expected \"{text}\" in:\n{result}");

    /// <summary>A harness whose settings are what infra/ deploys: identity-based storage, Key Vault, https, telemetry.</summary>
    private static CliHarness ProductionHub()
    {
        var hub = CliHarness.WithoutStorage();
        hub.Settings.Clear();
        foreach (var (key, value) in ProductionSettings())
        {
            hub.Settings[key] = value;
        }

        return hub;
    }

    private static Dictionary<string, string?> ProductionSettings() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["Storage:TableServiceUri"] = "https://acct.table.core.windows.net/",
        ["Storage:QueueServiceUri"] = "https://acct.queue.core.windows.net/",
        ["Storage:BlobServiceUri"] = "https://acct.blob.core.windows.net/",
        ["Storage:ClientId"] = "6b1e3c1a-8f0e-4a63-9a57-2a4b9d0c1e11",
        ["AzureWebJobsStorage:accountName"] = "acct",
        ["AzureWebJobsStorage:credential"] = "managedidentity",
        ["KeyWrapping:Provider"] = "KeyVault",
        ["KeyWrapping:KeyId"] = "https://kv.vault.azure.net/keys/hub-root",
        ["KeyWrapping:RotationSchedule"] = "0 0 3 1 1,4,7,10 *",
        ["Hub:AdminKey"] = new string('a', 40),
        ["Hub:PublicBaseUrl"] = "https://hub.example.com",
        ["Audit:SealSchedule"] = "0 */5 * * * *",
        ["Audit:Retention"] = "2555.00:00:00",
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000003;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/",
    };
}
