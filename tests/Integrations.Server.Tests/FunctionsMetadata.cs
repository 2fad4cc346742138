using System.Reflection;
using System.Text.Json.Nodes;

namespace Integrations.Server.Tests;

/// <summary>One function of the Functions app as its build described it: name, entry point and trigger binding.</summary>
internal sealed record FunctionsMetadataEntry(string Name, string EntryPoint, IReadOnlyList<JsonObject> Triggers)
{
    /// <summary>The function's one trigger (a test checks every function has exactly one).</summary>
    public JsonObject Trigger => Triggers.Single();

    public string TriggerType => (string)Trigger["type"]!;

    public string Property(string name) => Trigger[name]?.GetValue<string>() ?? throw new InvalidOperationException($"{Name}: its {TriggerType} has no \"{name}\".");
}

/// <summary>
/// Reads the <c>functions.metadata</c> the Azure Functions Worker SDK generates when src/Integrations.Functions is
/// built: what the Functions host indexes, trigger by trigger. This test project references the Functions project
/// (without its assembly), so that build runs first, and its output folder for the configuration being built is
/// baked in as the <c>FunctionsOutputDirectory</c> assembly metadata.
/// </summary>
internal static class FunctionsMetadata
{
    public static string OutputDirectory { get; } = typeof(FunctionsMetadata).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "FunctionsOutputDirectory").Value ?? throw new InvalidOperationException("FunctionsOutputDirectory is empty.");

    public static IReadOnlyList<FunctionsMetadataEntry> Functions { get; } = Load();

    /// <summary>The functions whose trigger is <paramref name="type"/> (e.g. <c>httpTrigger</c>).</summary>
    public static IEnumerable<FunctionsMetadataEntry> WithTrigger(string type) => Functions.Where(f => f.TriggerType == type);

    /// <summary>host.json as deployed with the app (copied into its output folder).</summary>
    public static JsonObject HostJson() => ReadJson("host.json").AsObject();

    private static List<FunctionsMetadataEntry> Load() =>
        [.. ReadJson("functions.metadata").AsArray().Select(node => node!.AsObject()).Select(function => new FunctionsMetadataEntry(
            (string)function["name"]!,
            (string)function["entryPoint"]!,
            [.. function["bindings"]!.AsArray().Select(b => b!.AsObject()).Where(b => ((string)b["type"]!).EndsWith("Trigger", StringComparison.Ordinal))]))];

    private static JsonNode ReadJson(string file)
    {
        var path = Path.Combine(OutputDirectory, file);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} does not exist: build src/Integrations.Functions (building this test project does).");
        }

        return JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidOperationException($"{path} is empty.");
    }
}
