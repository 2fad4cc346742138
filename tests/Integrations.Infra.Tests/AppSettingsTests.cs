using System.Text.RegularExpressions;
using Integrations.Infra.Tests.Arm;
using Microsoft.Extensions.Configuration;

namespace Integrations.Infra.Tests;

/// <summary>
/// The function app's settings in the compiled template are what the app needs to start in Azure: every setting the
/// Functions host resolves for a trigger (from functions.metadata), and every setting the hub validates at start
/// (by running the hub's own start-up validation over them).
/// </summary>
public sealed partial class AppSettingsTests
{
    [Fact]
    public async Task AppSettings_EveryBindingExpression_IsSet()
    {
        // Arrange: every %setting% in any binding (timer schedules, queue names), as the build generated them.
        var expressions = FunctionsMetadata.Bindings
            .SelectMany(b => b.Select(p => p.Value?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string?)p.Value : null))
            .SelectMany(value => BindingExpression().Matches(value ?? "").Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();

        // Act
        var settings = await CompiledTemplate.AppSettingsAsync();

        // Assert: the host resolves %…% from app settings only, with no default; ':' is spelt '__' in a setting name.
        Assert.NotEmpty(expressions);
        Assert.All(expressions, setting => Assert.True(
            settings.TryGetValue(setting.Replace(":", "__", StringComparison.Ordinal), out var value) && CompiledTemplate.StandIn(value).Length > 0,
            $"The function app needs the app setting {setting.Replace(":", "__", StringComparison.Ordinal)} (a trigger binds %{setting}%)."));
    }

    [Fact]
    public async Task AppSettings_EveryTriggerConnection_UsesTheManagedIdentity()
    {
        // Arrange: the connection each queue trigger names ("Storage"), resolved as an identity-based connection.
        var connections = FunctionsMetadata.Bindings
            .Where(b => (string?)b["type"] == "queueTrigger")
            .Select(b => (string)b["connection"]!)
            .Distinct()
            .ToList();

        // Act
        var settings = await CompiledTemplate.AppSettingsAsync();

        // Assert: no connection string (the account refuses shared keys): a queue endpoint, the credential and the identity.
        Assert.NotEmpty(connections);
        Assert.All(connections, connection =>
        {
            Assert.False(settings.ContainsKey(connection), $"{connection} must not be a connection string.");
            Assert.StartsWith("https://", CompiledTemplate.StandIn(settings[$"{connection}__queueServiceUri"]), StringComparison.Ordinal);
            Assert.Equal("managedidentity", settings[$"{connection}__credential"]);
            Assert.Equal(IdentityClientId(settings), CompiledTemplate.StandIn(settings[$"{connection}__clientId"]));
        });
    }

    [Fact]
    public async Task AppSettings_HostStorage_UsesTheManagedIdentity()
    {
        // Act
        var settings = await CompiledTemplate.AppSettingsAsync();

        // Assert
        Assert.False(settings.ContainsKey("AzureWebJobsStorage"), "AzureWebJobsStorage as a connection string needs shared keys, which the account refuses.");
        Assert.StartsWith("stihub", CompiledTemplate.StandIn(settings["AzureWebJobsStorage__accountName"]), StringComparison.Ordinal);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal(IdentityClientId(settings), CompiledTemplate.StandIn(settings["AzureWebJobsStorage__clientId"]));
        Assert.DoesNotContain(settings.Values.Select(CompiledTemplate.StandIn), v => v.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase) || v.Contains("SharedAccessSignature=", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task AppSettings_PassTheHubsStartupValidation()
    {
        // Arrange
        var settings = Deployed(await CompiledTemplate.AppSettingsAsync());

        // Act
        var failure = await HubComposition.StartupFailureAsync(settings);

        // Assert
        Assert.Null(failure);
    }

    [Theory]
    [InlineData("Hub__PublicBaseUrl", "Hub:PublicBaseUrl")]
    [InlineData("Hub__AdminKey", "Hub:AdminKey")]
    [InlineData("KeyWrapping__KeyId", "KeyWrapping:KeyId")]
    [InlineData("Storage__TableServiceUri", "Storage")]
    [InlineData("Jobs__Queues__OutboundSend", "Jobs:Queues:OutboundSend")]
    public async Task AppSettings_WithoutARequiredSetting_FailStartupValidation(string removed, string named)
    {
        // Arrange: the check above is only worth something if a missing setting makes it fail.
        var settings = Deployed(await CompiledTemplate.AppSettingsAsync()).Where(s => s.Key != removed).ToDictionary();

        // Act
        var failure = await HubComposition.StartupFailureAsync(settings);

        // Assert
        Assert.NotNull(failure);
        Assert.Contains(named, failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppSettings_AdminKey_IsAKeyVaultReferenceToTheVaultsSecret()
    {
        // Arrange
        var main = await CompiledTemplate.MainAsync();
        var vault = main.Module("keyvault");
        var secret = vault.ResourcesOfType("Microsoft.KeyVault/vaults/secrets").Single();

        // Act
        var adminKey = CompiledTemplate.StandIn((await CompiledTemplate.AppSettingsAsync(main))["Hub__AdminKey"]);

        // Assert: resolved by the platform with the user-assigned identity; the value never appears in app settings.
        var reference = KeyVaultReference().Match(adminKey);
        Assert.True(reference.Success, adminKey);
        Assert.EndsWith("/secrets/" + vault.Parameter("adminKeySecretName"), reference.Groups[1].Value, StringComparison.Ordinal);
        Assert.Equal(CompiledTemplate.AzdParameters["hubAdminKey"], vault.Evaluate(secret["properties"]!["value"]));
        Assert.Equal("[parameters('identityId')]", (string?)main.Module("api").ResourcesOfType("Microsoft.Web/sites").Single()["properties"]!["keyVaultReferenceIdentity"]);
    }

    [Fact]
    public async Task AppSettings_PublicBaseUrl_IsTheAppsDefaultHostNameOverHttps()
    {
        // Act
        var settings = await CompiledTemplate.AppSettingsAsync();

        // Assert: Flex Consumption apps get a unique default host name, so it is read from the site, not guessed.
        var value = Assert.IsType<ArmUnknown>(settings["Hub__PublicBaseUrl"]);
        Assert.Matches(@"^https://⟨[^⟩|]*/Microsoft\.Web/sites/func-ihub-[a-z0-9]+\|\.defaultHostName⟩$", value.Text);
    }

    [Fact]
    public async Task AppSettings_KeyWrapping_UsesTheVaultsRootKeyWithTheAppIdentity()
    {
        // Arrange
        var main = await CompiledTemplate.MainAsync();
        var settings = await CompiledTemplate.AppSettingsAsync(main);

        // Act
        var keyId = CompiledTemplate.StandIn(settings["KeyWrapping__KeyId"]);

        // Assert: never the local root key in Azure. KeyVaultServiceFactory authenticates with DefaultAzureCredential,
        // which picks a user-assigned identity by AZURE_CLIENT_ID.
        Assert.Equal("KeyVault", settings["KeyWrapping__Provider"]);
        Assert.False(settings.ContainsKey("KeyWrapping__RootKey"), "A local root key must not be deployed.");
        Assert.Matches(@"^https://kv-ihub-[a-z0-9]+\.vault\.azure\.net/keys/hub-root$", keyId);
        Assert.Equal(IdentityClientId(settings), CompiledTemplate.StandIn(settings["AZURE_CLIENT_ID"]));
    }

    [Fact]
    public async Task AppSettings_HaveNoSettingFlexConsumptionRejects()
    {
        // Act
        var settings = await CompiledTemplate.AppSettingsAsync();

        // Assert: the runtime and its version are functionAppConfig.runtime on Flex Consumption; these fail the deployment.
        string[] rejected = ["FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_NODE_DEFAULT_VERSION"];
        Assert.All(rejected, name => Assert.False(settings.ContainsKey(name), $"{name} is not allowed on Flex Consumption."));
    }

    [Fact]
    public async Task AppSettings_ApplicationInsights_SendsWithTheAppIdentity()
    {
        // Act
        var settings = await CompiledTemplate.AppSettingsAsync();

        // Assert
        Assert.Contains("InstrumentationKey=", CompiledTemplate.StandIn(settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]), StringComparison.Ordinal);
        Assert.Equal($"ClientId={IdentityClientId(settings)};Authorization=AAD", CompiledTemplate.StandIn(settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]));
    }

    [Fact]
    public async Task AppSettings_PassIhubDoctorsProductionChecklist()
    {
        // Arrange: the settings as the app reads them ('__' is ':').
        var deployed = Deployed(await CompiledTemplate.AppSettingsAsync());
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(deployed.Select(s => KeyValuePair.Create(s.Key.Replace("__", ":", StringComparison.Ordinal), (string?)s.Value)))
            .Build();

        // Act
        var findings = Integrations.Cli.DoctorChecks.Run(configuration, "Production");

        // Assert: what azd deploys is what the checklist asks for (https, Key Vault, retention, rotation, no shared keys, telemetry).
        Assert.All(findings, f => Assert.True(f.Passed, $"{f.Check}: {f.Problem}"));
    }

    /// <summary>The settings as the app reads them once deployed: Key Vault references resolved (to a stand-in secret).</summary>
    internal static Dictionary<string, string> Deployed(IReadOnlyDictionary<string, object?> settings) =>
        settings.ToDictionary(s => s.Key, s => CompiledTemplate.StandIn(s.Value) is var value && KeyVaultReference().IsMatch(value) ? new string('s', 48) : value);

    private static string IdentityClientId(IReadOnlyDictionary<string, object?> settings) =>
        CompiledTemplate.StandIn(settings["Storage__ClientId"]) is { Length: > 0 } clientId && Guid.TryParse(clientId, out _)
            ? clientId
            : throw new InvalidOperationException("Storage__ClientId is not the identity's client id.");

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex BindingExpression();

    [GeneratedRegex(@"^@Microsoft\.KeyVault\(SecretUri=(https://[^)]+)\)$")]
    private static partial Regex KeyVaultReference();
}
