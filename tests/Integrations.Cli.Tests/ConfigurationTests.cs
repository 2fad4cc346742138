using Integrations.Testing;

namespace Integrations.Cli.Tests;

/// <summary>Setup mistakes stop ihub before it touches storage, with exit code 2 and the setting to fix.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public async Task AnyCommand_MissingRootKey_ExitsTwoNamingKeyWrappingRootKey()
    {
        var hub = CliHarness.WithoutStorage();
        hub.Settings.Remove("KeyWrapping:RootKey");

        var result = await hub.RunAsync("audit", "verify");

        Assert.True(result.ExitCode == ExitCodes.Configuration, result.ToString());
        Assert.Contains("KeyWrapping:RootKey", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task RootKeyFileOption_FileMissing_ExitsTwoNamingTheOption()
    {
        var hub = CliHarness.WithoutStorage();
        var missing = Path.Combine(Path.GetTempPath(), TestRandom.Hex(16), "root.key");

        var result = await hub.RunAsync("keys", "rotate", "--root-key-file", missing);

        Assert.True(result.ExitCode == ExitCodes.Configuration, result.ToString());
        Assert.Contains("--root-key-file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RootKeyFileOption_FileWithAKey_WinsOverTheEnvironment()
    {
        var hub = CliHarness.WithoutStorage();
        hub.Settings["KeyWrapping:RootKey"] = "not a key";
        hub.Settings["Hub:AdminKey"] = "short";
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, CliHarness.NewRootKey() + "\n");

            var result = await hub.RunAsync("audit", "verify", "--root-key-file", file);

            // The root key from the file is accepted; the admin key is still reported, so validation really ran.
            Assert.True(result.ExitCode == ExitCodes.Configuration, result.ToString());
            Assert.DoesNotContain("KeyWrapping:RootKey", result.Error, StringComparison.Ordinal);
            Assert.Contains("Hub:AdminKey", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task KeysRotate_UnknownTarget_ExitsTwo()
    {
        var hub = CliHarness.WithoutStorage();

        var result = await hub.RunAsync("keys", "rotate", "--target", "everything");

        Assert.True(result.ExitCode == ExitCodes.Configuration, result.ToString());
        Assert.Contains("everything", result.Error, StringComparison.Ordinal);
    }
}
