using Integrations.Core.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Cli.Tests;

public sealed class OrgCommandsTests
{
    [Fact]
    public async Task OrgsCreate_WithName_PrintsIdAndOwnerKeyThatAuthenticatesAsTheOrganization()
    {
        var hub = await CliHarness.StartAsync();

        var result = await hub.RunAsync("orgs", "create", "Acme");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var organizationId = CliHarness.Single(CliHarness.OrganizationId(), result.Output);
        var token = CliHarness.Single(CliHarness.ApiKey(), result.Output);
        await using var services = await hub.ServicesAsync();
        var authentication = await services.Services.GetRequiredService<CallerAuthenticator>().AuthenticateAsync(token);
        Assert.NotNull(authentication.Caller);
        Assert.Equal(CallerKind.ApiKey, authentication.Caller.Kind);
        Assert.Equal(organizationId, authentication.Caller.OrganizationId);
        Assert.True(authentication.Caller.HasScope(Scopes.Admin));
    }

    [Fact]
    public async Task OrgsCreate_NameWithSurroundingSpaces_ExitsTwoWithTheRule()
    {
        var hub = await CliHarness.StartAsync();

        var result = await hub.RunAsync("orgs", "create", " Acme ");

        Assert.True(result.ExitCode == ExitCodes.Configuration, result.ToString());
        Assert.Contains("surrounding spaces", result.Error, StringComparison.Ordinal);
        Assert.DoesNotMatch(CliHarness.ApiKey(), result.Output);
    }
}
