using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Integrations.Infra.Tests.Arm;
using Integrations.Testing;

namespace Integrations.Infra.Tests;

/// <summary>infra/main.bicep compiled once per test run with <c>bicep build</c>, and evaluated with the parameters azd passes.</summary>
internal static partial class CompiledTemplate
{
    private static readonly Lazy<Task<JsonObject>> Compiled = new(CompileAsync);

    public static string InfraDirectory { get; } = System.IO.Path.Combine(RepositoryRoot.Find(), "infra");

    /// <summary>The parameters azd gives main.bicep (main.parameters.json) for an environment named "test"; the rest keep their defaults.</summary>
    public static IReadOnlyDictionary<string, object?> AzdParameters { get; } = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
    {
        ["environmentName"] = "test",
        ["location"] = "westeurope",
        ["hubAdminKey"] = new string('k', 48),
    };

    public static Task<JsonObject> JsonAsync() => Compiled.Value;

    /// <summary>The main template, evaluated with <paramref name="parameters"/> (default: <see cref="AzdParameters"/>).</summary>
    public static async Task<ArmScope> MainAsync(IReadOnlyDictionary<string, object?>? parameters = null) =>
        new((await JsonAsync()).DeepClone().AsObject(), parameters ?? AzdParameters);

    /// <summary>
    /// The function app's settings as deployed (the <c>Microsoft.Web/sites/config</c> appsettings resource): a string
    /// where the template decides the value, an <see cref="ArmUnknown"/> where Azure does (an endpoint, a client id).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, object?>> AppSettingsAsync(ArmScope? main = null)
    {
        var api = (main ?? await MainAsync()).Module("api");
        var config = api.ResourcesOfType("Microsoft.Web/sites/config").Single(r => ((string)api.Evaluate(r["name"])!).EndsWith("/appsettings", StringComparison.Ordinal));
        return (Dictionary<string, object?>)api.Evaluate(config["properties"])!;
    }

    /// <summary>
    /// What a setting's value will be once deployed: deployment-time values replaced by realistic ones of the same shape
    /// (an endpoint for an endpoint, a GUID for a client id), so the app's own validators can judge the rest.
    /// </summary>
    public static string StandIn(object? value) => value switch
    {
        string text => text,
        ArmUnknown unknown => RuntimeProperty().Replace(unknown.Text, m => StandInFor(m.Groups["id"].Value, m.Groups["path"].Value)),
        _ => throw new InvalidOperationException($"An app setting must be a string, not {value}."),
    };

    private static string StandInFor(string resourceId, string path)
    {
        var name = resourceId[(resourceId.LastIndexOf('/') + 1)..];
        return path switch
        {
            ".properties.primaryEndpoints.table" or ".primaryEndpoints.table" => $"https://{name}.table.core.windows.net/",
            ".properties.primaryEndpoints.queue" or ".primaryEndpoints.queue" => $"https://{name}.queue.core.windows.net/",
            ".properties.primaryEndpoints.blob" or ".primaryEndpoints.blob" => $"https://{name}.blob.core.windows.net/",
            ".properties.clientId" or ".clientId" => "6b1e3c1a-8f0e-4a63-9a57-2a4b9d0c1e11",
            ".properties.vaultUri" or ".vaultUri" => $"https://{name}.vault.azure.net/",
            ".properties.secretUri" or ".secretUri" => $"https://vault.vault.azure.net/secrets/{name}",
            ".properties.defaultHostName" or ".defaultHostName" => $"{name}.azurewebsites.net",
            ".properties.ConnectionString" or ".ConnectionString" => "InstrumentationKey=00000000-0000-0000-0000-000000000003;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/",
            _ => throw new InvalidOperationException($"No stand-in for {path} of {resourceId}: add one to CompiledTemplate.StandInFor."),
        };
    }

    [GeneratedRegex(@"⟨(?<id>[^|⟩]*)\|(?<path>[^⟩]*)⟩")]
    private static partial Regex RuntimeProperty();

    private static async Task<JsonObject> CompileAsync()
    {
        var output = Directory.CreateTempSubdirectory("ihub-infra-");
        try
        {
            var compiled = System.IO.Path.Combine(output.FullName, "main.json");
            var result = await BicepCli.RunAsync("build", System.IO.Path.Combine(InfraDirectory, "main.bicep"), "--outfile", compiled);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"bicep build failed ({result.ExitCode}):\n{result.Errors}");
            }

            return JsonNode.Parse(await File.ReadAllTextAsync(compiled))!.AsObject();
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
