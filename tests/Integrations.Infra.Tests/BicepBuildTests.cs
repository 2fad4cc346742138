namespace Integrations.Infra.Tests;

/// <summary>infra/ builds and lints with no warnings, with the linter rules infra/bicepconfig.json turns on.</summary>
public sealed class BicepBuildTests
{
    [Fact]
    public async Task Build_MainBicep_CompilesWithoutDiagnostics()
    {
        // Arrange
        var main = Path.Combine(CompiledTemplate.InfraDirectory, "main.bicep");

        // Act
        var result = await BicepCli.RunAsync("build", main, "--stdout");

        // Assert: build reports linter findings too; a warning is as bad as an error here.
        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Diagnostics);
        Assert.True(string.IsNullOrWhiteSpace(result.Errors), result.Errors);
        Assert.StartsWith("{", result.Output.TrimStart(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_MainBicep_HasNoWarningsOrErrors()
    {
        // Arrange
        var main = Path.Combine(CompiledTemplate.InfraDirectory, "main.bicep");

        // Act
        var result = await BicepCli.RunAsync("lint", main);

        // Assert
        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Diagnostics);
        Assert.True(string.IsNullOrWhiteSpace(result.Errors), result.Errors);
    }

    [Fact]
    public async Task Lint_ATemplateWithAnUnusedParameter_Fails()
    {
        // Arrange: a copy of infra/ (so bicepconfig.json applies) with one mistake the linter must catch.
        var copy = Directory.CreateTempSubdirectory("ihub-infra-lint-");
        try
        {
            CopyDirectory(CompiledTemplate.InfraDirectory, copy.FullName);
            var main = Path.Combine(copy.FullName, "main.bicep");
            await File.AppendAllTextAsync(main, "\nparam forgotten string = 'x'\n");

            // Act
            var result = await BicepCli.RunAsync("lint", main);

            // Assert: the rule is on at error level, so CI stops.
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains(result.Diagnostics, d => d.Contains("no-unused-params", StringComparison.Ordinal));
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
