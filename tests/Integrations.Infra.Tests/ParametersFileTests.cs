using System.Text.Json.Nodes;

namespace Integrations.Infra.Tests;

/// <summary>infra/main.parameters.json (what azd passes) fits main.bicep.</summary>
public sealed class ParametersFileTests
{
    [Fact]
    public async Task ParametersFile_NamesOnlyDeclaredParameters_AndEveryRequiredOne()
    {
        // Arrange
        var file = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(CompiledTemplate.InfraDirectory, "main.parameters.json")))!["parameters"]!.AsObject();
        var declared = (await CompiledTemplate.JsonAsync())["parameters"]!.AsObject();

        // Act: a parameter with no default must come from the file, or from azd itself (a generated secure value).
        var required = declared
            .Where(p => p.Value!["defaultValue"] is null)
            .Where(p => p.Value!["metadata"]?["azd"]?["type"]?.GetValue<string>() != "generate")
            .Select(p => p.Key);

        // Assert
        Assert.All(file.Select(p => p.Key), name => Assert.True(declared.ContainsKey(name), $"main.parameters.json sets {name}, which main.bicep does not declare."));
        Assert.All(required, name => Assert.True(file.ContainsKey(name), $"main.bicep needs {name}; main.parameters.json should pass it."));
    }
}
