using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Cli.Tests;

public sealed class UpgradeCommandsTests
{
    [Fact]
    public async Task Upgrade_FoundationKeyRows_ListsTheKeyAndItAuthenticatesAfterwards()
    {
        var hub = await CliHarness.StartAsync();
        var (token, sha256) = ApiKeyToken.Generate();
        const string Org = "org_uuuuuuuuuuuuuuuuuuuu";
        const string KeyId = "key_uuuuuuuuuuuuuuuuuuuu";
        await using (var storage = await hub.ServicesAsync())
        {
            await storage.Services.GetRequiredService<IHubStorage>().InitializeAsync();
        }

        foreach (var (partition, row) in new[] { (sha256, "key"), (Org, KeyId) })
        {
            await hub.Table("apikeys").AddEntityAsync(new TableEntity(partition, row)
            {
                ["Id"] = KeyId, ["Org"] = Org, ["Name"] = "ci", ["Scopes"] = Scopes.SecretsRead, ["Hash"] = sha256,
                ["Hint"] = ApiKeyToken.Hint(token), ["CreatedBy"] = "test", ["CreatedAt"] = DateTimeOffset.UnixEpoch,
            });
        }

        var result = await hub.RunAsync("upgrade");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains($"{Org}/{KeyId}", result.Output, StringComparison.Ordinal);
        await using var services = await hub.ServicesAsync();
        var authentication = await services.Services.GetRequiredService<CallerAuthenticator>().AuthenticateAsync(token);
        Assert.Equal(Org, authentication.Caller?.OrganizationId);
    }
}
