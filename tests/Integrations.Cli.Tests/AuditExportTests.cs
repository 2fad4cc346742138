using System.Text.Json.Nodes;
using Integrations.Core.Audit;
using Integrations.Core.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Cli.Tests;

/// <summary><c>ihub audit export</c>: an organization's records as JSON Lines, each linked to the one before it in its chain.</summary>
public sealed class AuditExportTests
{
    [Fact]
    public async Task AuditExport_Organization_WritesItsPartitionsWithContinuousChainLinks_AndNoOtherTenant()
    {
        // Arrange: an organization with a project, records in both logs and in another organization's, all sealed.
        var hub = await CliHarness.StartAsync();
        string organizationId, projectId;
        await using (var services = await hub.ServicesAsync())
        {
            var tenancy = services.Services.GetRequiredService<TenancyService>();
            var acme = (await tenancy.CreateOrganizationAsync("Acme", "test")).Value.Organization;
            var other = (await tenancy.CreateOrganizationAsync("Other", "test")).Value.Organization;
            var project = (await tenancy.CreateProjectAsync(acme.Id, "payments", "test")).Value!;
            var log = services.Services.GetRequiredService<AuditLog>();
            for (var i = 0; i < 3; i++)
            {
                await log.WriteAsync(new AuditEvent(acme.Id, project.Id, AuditActions.SecretReveal, AuditOutcomes.Success, 200, "ApiKey", "key_a", $"secret/s{i}"));
                await log.WriteAsync(new AuditEvent(acme.Id, null, AuditActions.ApiKeyList, AuditOutcomes.Success, 200, "ApiKey", "key_a"));
                await log.WriteAsync(new AuditEvent(other.Id, null, AuditActions.ApiKeyList, AuditOutcomes.Success, 200, "ApiKey", "key_other"));
            }

            (organizationId, projectId) = (acme.Id, project.Id);
        }

        Assert.Equal(ExitCodes.Success, (await hub.RunAsync("audit", "seal")).ExitCode);
        var file = Path.Combine(Path.GetTempPath(), $"audit-export-{Integrations.Testing.TestRandom.Hex(16)}.jsonl");
        var from = TimeProvider.System.GetUtcNow().AddHours(-1).ToString("O");

        // Act
        var result = await hub.RunAsync("audit", "export", "--org", organizationId, "--from", from, "--output", file);

        // Assert
        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var lines = (await File.ReadAllLinesAsync(file)).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        File.Delete(file);
        var partitions = lines.Where(l => (string?)l["type"] == "partition").Select(l => (string)l["partition"]!).ToList();
        Assert.Equal([AuditPartition.For(organizationId, null), AuditPartition.For(organizationId, projectId)], partitions);
        Assert.DoesNotContain(lines, l => (string?)l["actor_id"] == "key_other");
        foreach (var partition in partitions)
        {
            var header = lines.Single(l => (string?)l["type"] == "partition" && (string?)l["partition"] == partition);
            var records = lines.Where(l => (string?)l["type"] == "record" && (string?)l["partition"] == partition).ToList();
            Assert.Equal(3, records.Count);
            Assert.Equal((string?)header["anchor_hash"], (string?)records[0]["previous_hash"]);
            for (var i = 1; i < records.Count; i++)
            {
                Assert.Equal((string?)records[i - 1]["chain_hash"], (string?)records[i]["previous_hash"]);
            }

            Assert.Equal((string?)header["head_hash"], (string?)records[^1]["chain_hash"]);
        }
    }

    [Fact]
    public async Task AuditExport_UnknownOrganization_FailsWithoutWriting()
    {
        var hub = await CliHarness.StartAsync();
        var file = Path.Combine(Path.GetTempPath(), $"audit-export-{Integrations.Testing.TestRandom.Hex(16)}.jsonl");

        var result = await hub.RunAsync("audit", "export", "--org", "org_aaaaaaaaaaaaaaaaaaaa", "--from", "2026-01-01T00:00:00Z", "--output", file);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.False(File.Exists(file));
    }
}
