using System.Reflection;
using System.Text.RegularExpressions;
using Integrations.Api.Http;
using Integrations.Core.Common;

namespace Integrations.Api.Tests.Http;

/// <summary>docs/problems.md is the troubleshooting guide: every problem code the hub can answer with has an entry there, and no entry is stale.</summary>
public sealed partial class ProblemCatalogueTests
{
    private static readonly string Root = FindRoot();

    /// <summary>Codes are the constants of the <c>…Problems</c> (Api) and <c>…Errors</c> (Core) classes.</summary>
    private static HashSet<string> Codes() =>
        new[] { typeof(ApiProblems).Assembly, typeof(HubError).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t is { IsAbstract: true, IsSealed: true } && t != typeof(Problems) && (t.Name.EndsWith("Problems", StringComparison.Ordinal) || t.Name.EndsWith("Errors", StringComparison.Ordinal)))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string)))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> Documented() =>
        DocumentedCode().Matches(File.ReadAllText(Path.Combine(Root, "docs", "problems.md"))).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void EveryProblemCode_HasAnEntryInDocsProblems()
    {
        var missing = Codes().Except(Documented()).Order().ToList();

        Assert.True(missing.Count == 0, $"docs/problems.md has no entry for: {string.Join(", ", missing)}");
    }

    [Fact]
    public void EveryEntryInDocsProblems_IsACodeTheHubHas()
    {
        var stale = Documented().Except(Codes()).Order().ToList();

        Assert.True(stale.Count == 0, $"docs/problems.md documents codes that no longer exist: {string.Join(", ", stale)}");
    }

    [Fact]
    public void NoProblemCode_IsWrittenInlineInSource()
    {
        var inline = Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => InlineCode().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetRelativePath(Root, f)}: {m.Value}"))
            .ToList();

        Assert.True(inline.Count == 0, "Problem codes must be named constants of a …Problems or …Errors class:\n" + string.Join("\n", inline));
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "IntegrationsFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (IntegrationsFunctions.sln) is not above the test's folder.");
    }

    [GeneratedRegex(@"^#{2,4} `([a-z0-9-]+)`", RegexOptions.Multiline)]
    private static partial Regex DocumentedCode();

    [GeneratedRegex(@"(HubError\.(Invalid|Conflict)\(""|new HubError\(ErrorKind\.\w+, ""|new\(ErrorKind\.\w+, ""|Problems\.Create\([^,]+, "")")]
    private static partial Regex InlineCode();
}
