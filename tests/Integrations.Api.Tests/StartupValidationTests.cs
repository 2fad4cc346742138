using System.Security.Cryptography;
using Integrations.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Integrations.Api.Tests;

/// <summary>A missing or malformed setting stops the Server at start with a message that names it.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("KeyWrapping:RootKey", null, "KeyWrapping:RootKey")]
    [InlineData("KeyWrapping:RootKey", "dG9vIHNob3J0", "KeyWrapping:RootKey")]
    [InlineData("Hub:AdminKey", null, "Hub:AdminKey")]
    [InlineData("Hub:AdminKey", "short", "Hub:AdminKey")]
    [InlineData("Storage", null, "Storage")]
    [InlineData("Audit:SealSchedule", "every minute", "Audit:SealSchedule")]
    [InlineData("KeyWrapping:Provider", "KeyVault", "KeyWrapping:KeyId")]
    public async Task Start_WithBadSetting_FailsNamingTheSetting(string key, string? value, string named)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Storage"] = (await AzuriteInstance.Shared).ConnectionString,
            ["Storage:Prefix"] = AzuriteInstance.NewPrefix(),
            ["KeyWrapping:RootKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Hub:AdminKey"] = new string('a', 40),
        };
        settings[key] = value;
        await using var factory = new Factory(settings);

        var error = Record.Exception(() => factory.StartServer());

        Assert.NotNull(error);
        Assert.True(error.ToString().Contains(named, StringComparison.Ordinal), error.ToString());
    }

    private sealed class Factory(Dictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value ?? "");
            }
        }
    }
}
