using Azure.Data.Tables;
using Integrations.Core.Crypto;
using Integrations.Core.Tenancy;
using Integrations.Core.Vault;
using Integrations.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Cli.Tests;

/// <summary>A few secrets written through the vault (one with two versions), and the checks a key rotation must pass.</summary>
internal sealed record SeededSecrets(string OrganizationId, string ProjectId, IReadOnlyDictionary<(string Name, int Version), string> Values)
{
    public static async Task<SeededSecrets> CreateAsync(IServiceProvider services)
    {
        var tenancy = services.GetRequiredService<TenancyService>();
        var organization = (await tenancy.CreateOrganizationAsync("Acme", "test")).Value.Organization;
        var project = (await tenancy.CreateProjectAsync(organization.Id, "payments", "test")).Value!;
        var vault = services.GetRequiredService<VaultService>();
        var values = new Dictionary<(string, int), string>
        {
            [("db-password", 1)] = "correct horse battery staple",
            [("stripe.key", 1)] = "sk_test_" + TestRandom.Hex(16),
            [("webhook_secret", 1)] = "whsec_" + TestRandom.Hex(16),
            [("db-password", 2)] = "correct horse battery staple, rotated",
        };
        foreach (var ((name, version), value) in values.Where(v => v.Key.Item2 == 1))
        {
            Assert.True((await vault.CreateAsync(project, name, new SecretInput(value, null, null), "test")).IsSuccess);
        }

        var location = new SecretLocation(organization.Id, project.Id, "db-password");
        Assert.True((await vault.UpdateAsync(location, new SecretInput(values[("db-password", 2)], null, null), null, "test")).IsSuccess);
        return new SeededSecrets(organization.Id, project.Id, values);
    }

    /// <summary>Every secret and version opens to the value written, through <paramref name="services"/> (a fresh container: no key cached from before).</summary>
    public async Task AssertEveryValueRevealsAsync(IServiceProvider services)
    {
        var vault = services.GetRequiredService<VaultService>();
        foreach (var ((name, version), expected) in Values)
        {
            var revealed = await vault.RevealAsync(new SecretLocation(OrganizationId, ProjectId, name), version);
            Assert.True(revealed.IsSuccess, $"{name} v{version}: {revealed.Error}");
            Assert.Equal(expected, revealed.Value!.Value);
        }
    }

    /// <summary>The KEK ids of every stored sealed value (secrets and versions), read from the rows themselves.</summary>
    public static async Task<IReadOnlyList<string>> StoredKekIdsAsync(TableClient secrets)
    {
        var kekIds = new List<string>();
        await foreach (var row in secrets.QueryAsync<TableEntity>())
        {
            if (row.GetBinary("Value") is { } value)
            {
                // The column the rotation queries and the id inside the sealed bytes must agree.
                var kekId = SealedSecret.Parse(value).KekId;
                Assert.Equal(kekId, row.GetString("KekId"));
                kekIds.Add(kekId);
            }
        }

        return kekIds;
    }
}
