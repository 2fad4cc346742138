using System.Globalization;
using Integrations.Core.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Cli.Tests;

public sealed class ApiKeyCommandsTests
{
    [Fact]
    public async Task ApiKeysList_AfterCreate_ShowsTheHintButNeverTheKey()
    {
        var hub = await CliHarness.StartAsync();
        var organization = await hub.RunAsync("orgs", "create", "Acme");
        var organizationId = CliHarness.Single(CliHarness.OrganizationId(), organization.Output);
        var ownerToken = CliHarness.Single(CliHarness.ApiKey(), organization.Output);
        var expiryDay = TimeProvider.System.GetUtcNow().UtcDateTime.Date.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var created = await hub.RunAsync("apikeys", "create", "--org", organizationId, "--name", "deploy", "--scope", "secrets:read", "--scope", "secrets:write",
            "--expires", $"{expiryDay}T00:00:00Z");
        Assert.True(created.ExitCode == ExitCodes.Success, created.ToString());
        var token = CliHarness.Single(CliHarness.ApiKey(), created.Output);
        var keyId = CliHarness.Single(CliHarness.KeyId(), created.Output);

        var list = await hub.RunAsync("apikeys", "list", "--org", organizationId);

        Assert.True(list.ExitCode == ExitCodes.Success, list.ToString());
        Assert.Contains(keyId, list.Output, StringComparison.Ordinal);
        Assert.Contains(ApiKeyToken.Hint(token), list.Output, StringComparison.Ordinal);
        Assert.Contains(ApiKeyToken.Hint(ownerToken), list.Output, StringComparison.Ordinal);
        Assert.Contains("secrets:read secrets:write", list.Output, StringComparison.Ordinal);
        Assert.Contains($"{expiryDay} 00:00:00Z", list.Output, StringComparison.Ordinal);
        Assert.DoesNotMatch(CliHarness.ApiKey(), list.Output);
        Assert.DoesNotContain(token[ApiKeyToken.Prefix.Length..^4], list.Output + list.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKeysRevoke_CreatedKey_KeyNoLongerAuthenticates()
    {
        var hub = await CliHarness.StartAsync();
        var organizationId = CliHarness.Single(CliHarness.OrganizationId(), (await hub.RunAsync("orgs", "create", "Acme")).Output);
        var created = await hub.RunAsync("apikeys", "create", "--org", organizationId, "--name", "ci", "--scope", "secrets:read");
        var token = CliHarness.Single(CliHarness.ApiKey(), created.Output);
        var keyId = CliHarness.Single(CliHarness.KeyId(), created.Output);
        await using var services = await hub.ServicesAsync();
        var authenticator = services.Services.GetRequiredService<CallerAuthenticator>();
        Assert.Equal(organizationId, (await authenticator.AuthenticateAsync(token)).Caller?.OrganizationId);

        var revoked = await hub.RunAsync("apikeys", "revoke", "--org", organizationId, keyId);

        Assert.True(revoked.ExitCode == ExitCodes.Success, revoked.ToString());
        var after = await authenticator.AuthenticateAsync(token);
        Assert.Null(after.Caller);
        Assert.Equal(AuthenticationFailure.Revoked, after.Failure);
        Assert.Contains("revoked", (await hub.RunAsync("apikeys", "list", "--org", organizationId)).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKeysRevoke_KeyOfAnotherOrganization_ExitsOneAndKeyStillAuthenticates()
    {
        var hub = await CliHarness.StartAsync();
        var first = await hub.RunAsync("orgs", "create", "First");
        var secondId = CliHarness.Single(CliHarness.OrganizationId(), (await hub.RunAsync("orgs", "create", "Second")).Output);
        var firstOwnerKeyId = CliHarness.Single(CliHarness.KeyId(), first.Output);

        var revoked = await hub.RunAsync("apikeys", "revoke", "--org", secondId, firstOwnerKeyId);

        Assert.True(revoked.ExitCode == ExitCodes.Failure, revoked.ToString());
        await using var services = await hub.ServicesAsync();
        var authentication = await services.Services.GetRequiredService<CallerAuthenticator>().AuthenticateAsync(CliHarness.Single(CliHarness.ApiKey(), first.Output));
        Assert.NotNull(authentication.Caller);
    }

    [Fact]
    public async Task ApiKeysCreate_UnknownOrganization_ExitsOneWithoutAKey()
    {
        var hub = await CliHarness.StartAsync();

        var result = await hub.RunAsync("apikeys", "create", "--org", "org_aaaaaaaaaaaaaaaaaaaa", "--name", "ci", "--scope", "admin");

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Contains("no organization org_aaaaaaaaaaaaaaaaaaaa", result.Error, StringComparison.Ordinal);
        Assert.DoesNotMatch(CliHarness.ApiKey(), result.Output);
    }

    [Fact]
    public async Task ApiKeysCreate_FollowsTheMaxLifetime_UnlessNoExpiryIsAskedFor()
    {
        var hub = await CliHarness.StartAsync();
        var organizationId = CliHarness.Single(CliHarness.OrganizationId(), (await hub.RunAsync("orgs", "create", "Acme")).Output);
        var farFuture = TimeProvider.System.GetUtcNow().AddDays(400).ToString("O", CultureInfo.InvariantCulture);

        var defaulted = await hub.RunAsync("apikeys", "create", "--org", organizationId, "--name", "ci", "--scope", "secrets:read");
        var tooLate = await hub.RunAsync("apikeys", "create", "--org", organizationId, "--name", "late", "--scope", "secrets:read", "--expires", farFuture);
        var never = await hub.RunAsync("apikeys", "create", "--org", organizationId, "--name", "break-glass", "--scope", "admin", "--no-expiry");
        var both = await hub.RunAsync("apikeys", "create", "--org", organizationId, "--name", "both", "--scope", "admin", "--no-expiry", "--expires", farFuture);

        Assert.True(defaulted.ExitCode == ExitCodes.Success, defaulted.ToString());
        var yearFromNow = TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(365).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Contains(yearFromNow, defaulted.Output, StringComparison.Ordinal);
        Assert.True(tooLate.ExitCode != ExitCodes.Success, tooLate.ToString());
        Assert.Contains("Hub:MaxApiKeyLifetime", tooLate.Error, StringComparison.Ordinal);
        Assert.True(never.ExitCode == ExitCodes.Success, never.ToString());
        Assert.Contains("never", never.Output, StringComparison.Ordinal);
        Assert.True(both.ExitCode != ExitCodes.Success, both.ToString());
        Assert.DoesNotMatch(CliHarness.ApiKey(), tooLate.Output + both.Output);
    }
}
