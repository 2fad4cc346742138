using System.Text.RegularExpressions;

namespace Integrations.Server.Tests;

/// <summary>
/// Reads the [Function] methods of src/Integrations.Functions from its C# source. The Functions worker packages
/// cannot be restored here, so the project cannot be referenced; its source is the next best truth.
/// </summary>
internal static partial class FunctionsSource
{
    public static string Text { get; } = Load();

    /// <summary>Every <c>[Function("Name")]</c> method, with the text of its parameter list.</summary>
    public static IReadOnlyList<(string Name, string Parameters)> Functions { get; } =
        [.. FunctionRegex().Matches(Text).Select(m => (m.Groups["name"].Value, m.Groups["parameters"].Value))];

    /// <summary>How often <paramref name="token"/> occurs anywhere in the source: a trigger the regexes miss must not go unnoticed.</summary>
    public static int Count(string token) => Regex.Count(Text, Regex.Escape(token));

    public static IEnumerable<(string Function, Match Trigger)> Triggers(Regex trigger) =>
        Functions.Select(f => (f.Name, Match: trigger.Match(f.Parameters))).Where(f => f.Match.Success);

    private static string Load()
    {
        var folder = Path.Combine(RepositoryRoot(), "src", "Integrations.Functions");
        var files = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        return string.Join('\n', files.Select(File.ReadAllText));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IntegrationsFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No IntegrationsFunctions.sln above {AppContext.BaseDirectory}.");
    }

    // A [Function] attribute, the method signature, and its parameter list up to the body (=> or {).
    [GeneratedRegex("""\[Function\("(?<name>[^"]+)"\)\]\s*public\s+(?:static\s+)?[\w<>]+\s+\w+\((?<parameters>.*?)\)\s*(?:=>|\{)""", RegexOptions.Singleline)]
    private static partial Regex FunctionRegex();
}
