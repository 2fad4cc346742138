using System.Reflection;
using System.Text.Json.Nodes;

namespace Integrations.Infra.Tests;

/// <summary>
/// The bindings of every function in the <c>functions.metadata</c> that building src/Integrations.Functions generates:
/// what the Functions host resolves from app settings (<c>%setting%</c> expressions, <c>connection</c> names).
/// </summary>
internal static class FunctionsMetadata
{
    private static readonly string OutputDirectory = typeof(FunctionsMetadata).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "FunctionsOutputDirectory").Value ?? throw new InvalidOperationException("FunctionsOutputDirectory is empty.");

    public static IReadOnlyList<JsonObject> Bindings { get; } = Load();

    private static List<JsonObject> Load()
    {
        var path = Path.Combine(OutputDirectory, "functions.metadata");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} does not exist: build src/Integrations.Functions (building this test project does).");
        }

        return [.. JsonNode.Parse(File.ReadAllText(path))!.AsArray().SelectMany(f => f!["bindings"]!.AsArray()).Select(b => b!.AsObject())];
    }
}
