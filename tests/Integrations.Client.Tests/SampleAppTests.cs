using System.Diagnostics;
using System.Text.RegularExpressions;
using Integrations.Client.Tests.Connections;
using Integrations.Testing;

namespace Integrations.Client.Tests;

/// <summary>
/// The sample console app (samples/Integrations.Client.Sample), built with these tests and run as its own process against the
/// Server, configured as the README says: the hub and the key from the environment, the rest as arguments.
/// </summary>
[Collection(HubServerGroup.Name)]
public sealed partial class SampleAppTests(HubServer hub)
{
    private const string UpstreamToken = "sample-upstream-token-value-3";

    [Fact]
    public async Task Sample_RunTwiceAgainstTheHub_StoresRevealsConnectsProxiesAndGetsAToken()
    {
        // Arrange
        using var upstream = new ProxyUpstream();
        var tenant = await hub.NewTenantAsync();
        string[] proxy = ["--upstream", upstream.BaseUrl, "--path", "hello?from=sample", "--upstream-token", UpstreamToken];

        // Act: the first run makes the project "client-sample"; the second finds it, and gets the token of an OAuth
        // connection made there in between.
        var first = await RunAsync(tenant.ApiKey, proxy);
        var projectId = ProjectOf(first.Output);
        var (client, _) = await hub.ConnectedClientCredentialsAsync(tenant with { ProjectId = projectId }, "machine");
        using var __ = client;
        var second = await RunAsync(tenant.ApiKey, [.. proxy, "--token-connection", "machine"]);

        // Assert
        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.True(second.ExitCode == 0, second.Output + second.Error);
        Assert.Equal(projectId, ProjectOf(second.Output));
        Assert.Contains($"secret sample-upstream-token: version 1, revealed {UpstreamToken.Length} characters, same as stored: yes", first.Output, StringComparison.Ordinal);
        Assert.Contains("secret sample-upstream-token: version 2,", second.Output, StringComparison.Ordinal);
        Assert.Contains("proxied GET hello?from=sample: 200 OK", first.Output, StringComparison.Ordinal);
        Assert.Contains("proxied GET hello?from=sample: 200 OK", second.Output, StringComparison.Ordinal);
        Assert.Matches(@"access token of machine: Bearer, \d+ characters, expires \d{4}-", second.Output);
        Assert.All(upstream.Requests, seen => Assert.Equal(("GET", "/up/hello?from=sample", "Bearer " + UpstreamToken), (seen.Method, seen.Target, seen.Headers["Authorization"])));
        Assert.Equal(2, upstream.Requests.Count);
        Assert.DoesNotContain(UpstreamToken, first.Output + second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(tenant.ApiKey, first.Output + second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sample_UnknownApiKey_ExitsWith1AndTheHubsProblem()
    {
        var run = await RunAsync("ihk_not_a_key", ["--project", "prj_00000000000000000000000000"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("The hub answered 401", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("ihk_not_a_key", run.Output + run.Error, StringComparison.Ordinal);
    }

    private static string ProjectOf(string output) => ProjectLine().Match(output) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException(output);

    private async Task<SampleRun> RunAsync(string apiKey, string[] arguments)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(RepositoryRoot.Find(), "samples", "Integrations.Client.Sample", "bin", output.Parent!.Name, output.Name, "Integrations.Client.Sample.dll");
        Assert.True(File.Exists(dll), $"the sample is not built at {dll}");
        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("INTEGRATIONS_HUB_PROJECT");
        start.Environment["INTEGRATIONS_HUB_URL"] = hub.BaseAddress.AbsoluteUri;
        start.Environment["INTEGRATIONS_HUB_API_KEY"] = apiKey;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the sample did not finish in 60 s: " + await stdout);
        }

        return new SampleRun(process.ExitCode, await stdout, await stderr);
    }

    [GeneratedRegex(@"^project (prj_\w+)$", RegexOptions.Multiline)]
    private static partial Regex ProjectLine();

    private sealed record SampleRun(int ExitCode, string Output, string Error);
}
