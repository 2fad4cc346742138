using Integrations.Core.Audit;
using Integrations.Core.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Cli.Tests;

/// <summary>The CLI audits its changes as the API does: the attempt (naming its target) before the change, the outcome after.</summary>
public sealed class CliAuditTests
{
    [Fact]
    public async Task OrgsCreate_IsAuditedAsAttemptThenOutcome_BothNamingTheNewOrganization()
    {
        var hub = await CliHarness.StartAsync();

        var result = await hub.RunAsync("orgs", "create", "Acme");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var organizationId = CliHarness.Single(CliHarness.OrganizationId(), result.Output);
        await using var services = await hub.ServicesAsync();
        var records = (await services.Services.GetRequiredService<IAuditStore>()
            .QueryAsync(AuditPartition.Platform, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddDays(-1), new PageRequest(1, 100))).Items
            .Where(r => r.Action == AuditActions.OrganizationCreate).ToList();
        Assert.Equal([AuditOutcomes.Success, AuditOutcomes.Attempt], records.Select(r => r.Outcome));
        Assert.All(records, r => Assert.Equal($"org/{organizationId}", r.Target));
        Assert.All(records, r => Assert.StartsWith("cli:", r.ActorId, StringComparison.Ordinal));
    }
}
