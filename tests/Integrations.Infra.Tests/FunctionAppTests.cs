using Integrations.Testing;

namespace Integrations.Infra.Tests;

/// <summary>The app is a Flex Consumption function app on .NET 10 isolated, deployed by azd from its own container.</summary>
public sealed class FunctionAppTests
{
    [Fact]
    public async Task Plan_IsFlexConsumption()
    {
        // Arrange
        var api = (await CompiledTemplate.MainAsync()).Module("api");

        // Act
        var sku = (Dictionary<string, object?>)api.Evaluate(api.ResourcesOfType("Microsoft.Web/serverfarms").Single()["sku"])!;

        // Assert
        Assert.Equal("FC1", sku["name"]);
        Assert.Equal("FlexConsumption", sku["tier"]);
    }

    [Fact]
    public async Task FunctionAppConfig_RunsDotnetIsolated10FromTheDeploymentContainerWithTheIdentity()
    {
        // Arrange: non-default scale parameters, to see them reach the app.
        var main = await CompiledTemplate.MainAsync(new Dictionary<string, object?>(CompiledTemplate.AzdParameters)
        {
            ["instanceMemoryMB"] = 4096L,
            ["maximumInstanceCount"] = 7L,
        });
        var api = main.Module("api");
        var site = api.ResourcesOfType("Microsoft.Web/sites").Single();

        // Act
        var config = (Dictionary<string, object?>)api.Evaluate(site["properties"]!["functionAppConfig"])!;
        var runtime = (Dictionary<string, object?>)config["runtime"]!;
        var scale = (Dictionary<string, object?>)config["scaleAndConcurrency"]!;
        var deployment = (Dictionary<string, object?>)((Dictionary<string, object?>)config["deployment"]!)["storage"]!;
        var authentication = (Dictionary<string, object?>)deployment["authentication"]!;

        // Assert
        Assert.Equal("dotnet-isolated", runtime["name"]);
        Assert.Equal("10.0", runtime["version"]);
        Assert.Equal(4096L, scale["instanceMemoryMB"]);
        Assert.Equal(7L, scale["maximumInstanceCount"]);
        Assert.Equal("blobContainer", deployment["type"]);
        Assert.EndsWith("/" + main.Module("storage").Parameter("deploymentContainerName"), CompiledTemplate.StandIn(deployment["value"]), StringComparison.Ordinal);
        Assert.Equal("UserAssignedIdentity", authentication["type"]);
        Assert.Equal(api.Parameter("identityId"), authentication["userAssignedIdentityResourceId"]);
        Assert.Equal(true, api.Evaluate(site["properties"]!["httpsOnly"]));
    }

    [Fact]
    public async Task AzureYaml_DeploysTheFunctionsProjectToTheTaggedApp()
    {
        // Arrange
        var yaml = await File.ReadAllLinesAsync(Path.Combine(RepositoryRoot.Find(), "azure.yaml"));
        var api = (await CompiledTemplate.MainAsync()).Module("api");

        // Act: azd finds the app by its azd-service-name tag.
        var tags = (Dictionary<string, object?>)api.Evaluate(api.ResourcesOfType("Microsoft.Web/sites").Single()["tags"])!;

        // Assert
        Assert.Contains("  api:", yaml);
        Assert.Contains("    project: ./src/Integrations.Functions", yaml);
        Assert.Contains("    host: function", yaml);
        Assert.Equal("api", tags["azd-service-name"]);
    }

    [Fact]
    public async Task Outputs_IncludeWhatAzdPrints()
    {
        // Act
        var outputs = (await CompiledTemplate.JsonAsync())["outputs"]!.AsObject();

        // Assert
        string[] expected = ["AZURE_LOCATION", "AZURE_TENANT_ID", "AZURE_RESOURCE_GROUP", "SERVICE_API_NAME", "SERVICE_API_URI", "HUB_PUBLIC_BASE_URL", "AZURE_KEY_VAULT_NAME", "AZURE_STORAGE_ACCOUNT_NAME", "KEYWRAPPING_KEY_ID"];
        Assert.All(expected, name => Assert.True(outputs.ContainsKey(name), $"main.bicep should output {name}."));
    }
}
