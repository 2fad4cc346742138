using Integrations.Core.Identity.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Cli.Tests;

public sealed class SigningKeyCommandsTests
{
    [Fact]
    public async Task KeysRotateSigningKey_NewKeySigns_AndTheOldOneStaysPublished()
    {
        var hub = await CliHarness.StartAsync();
        string before;
        await using (var services = await hub.ServicesAsync())
        {
            before = (await services.Services.GetRequiredService<AccessTokenSigningKeys>().GetAsync()).Signer.Id;
        }

        var result = await hub.RunAsync("keys", "rotate-signing-key");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Matches($@"Signing key atk_[a-z2-7]{{20}} now signs access tokens; {before} stays published", result.Output);
        await using var after = await hub.ServicesAsync();
        var set = await after.Services.GetRequiredService<AccessTokenSigningKeys>().GetAsync();
        Assert.NotEqual(before, set.Signer.Id);
        Assert.Contains(set.Signer.Id, result.Output, StringComparison.Ordinal);
        Assert.Equal([set.Signer.Id, before], set.Accepted.Select(k => k.Id));
    }
}
