using System.Net;
using Integrations.Client.Secrets;

namespace Integrations.Client.Tests;

/// <summary>The hub's problem details become typed exceptions, with type, title, status, field and the trace id.</summary>
[Collection(HubServerGroup.Name)]
public sealed class ProblemExceptionTests(HubServer hub)
{
    [Fact]
    public async Task Create_InvalidName_ThrowsValidationExceptionNamingTheField()
    {
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);

        var error = await Assert.ThrowsAsync<HubValidationException>(() => client.Secrets.CreateAsync(tenant.ProjectId, new NewSecret("bad name!", "v")));

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal("name", error.Field);
        Assert.StartsWith("urn:integrations-hub:problem:", error.Type, StringComparison.Ordinal);
        Assert.Equal(error.Type!["urn:integrations-hub:problem:".Length..], error.Code);
        Assert.False(string.IsNullOrEmpty(error.Title));
        Assert.False(string.IsNullOrEmpty(error.TraceId));
    }

    [Fact]
    public async Task Reveal_KeyWithoutRevealScope_ThrowsForbiddenException()
    {
        var tenant = await hub.NewTenantAsync();
        using var owner = hub.Client(tenant);
        await owner.Secrets.CreateAsync(tenant.ProjectId, new NewSecret("api-key", "value-never-shown"));
        var readOnly = await hub.NewKeyAsync(tenant, "secrets:read");
        using var client = hub.Client(tenant with { ApiKey = readOnly });

        var error = await Assert.ThrowsAsync<HubForbiddenException>(() => client.Secrets.RevealAsync(tenant.ProjectId, "api-key"));

        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
        Assert.DoesNotContain("value-never-shown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownSecret_ThrowsNotFoundException()
    {
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);

        var error = await Assert.ThrowsAsync<HubNotFoundException>(() => client.Secrets.GetAsync(tenant.ProjectId, "nothing-here"));

        Assert.Equal(HttpStatusCode.NotFound, error.Status);
        Assert.NotNull(error.Code);
    }

    [Fact]
    public async Task Create_NameTaken_ThrowsConflictException()
    {
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        await client.Secrets.CreateAsync(tenant.ProjectId, new NewSecret("taken", "one"));

        var error = await Assert.ThrowsAsync<HubConflictException>(() => client.Secrets.CreateAsync(tenant.ProjectId, new NewSecret("taken", "two")));

        Assert.Equal(HttpStatusCode.Conflict, error.Status);
    }

    [Fact]
    public async Task Update_StaleIfMatch_ThrowsPreconditionFailedException()
    {
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        await client.Secrets.CreateAsync(tenant.ProjectId, new NewSecret("rotating", "one"));
        await client.Secrets.UpdateAsync(tenant.ProjectId, "rotating", "two", ifMatchVersion: 1);

        var error = await Assert.ThrowsAsync<HubPreconditionFailedException>(() => client.Secrets.UpdateAsync(tenant.ProjectId, "rotating", "three", ifMatchVersion: 1));

        Assert.Equal(HttpStatusCode.PreconditionFailed, error.Status);
        Assert.Equal("two", await client.Secrets.RevealAsync(tenant.ProjectId, "rotating"));
    }

    [Fact]
    public async Task Create_ValueTooLarge_ThrowsPayloadTooLargeException()
    {
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);

        var error = await Assert.ThrowsAsync<HubPayloadTooLargeException>(() =>
            client.Secrets.CreateAsync(tenant.ProjectId, new NewSecret("huge", new string('x', (48 * 1024) + 1))));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, error.Status);
    }

    [Fact]
    public async Task List_BeyondTheKeysRateLimitWithoutRetries_ThrowsRateLimitedExceptionWithRetryAfter()
    {
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant, o => o.MaxRetries = 0);

        var error = await Assert.ThrowsAsync<HubRateLimitedException>(async () =>
        {
            // Up to three windows' worth: a fixed window that rolls over mid-loop cannot make the test pass without a 429.
            for (var i = 0; i < HubServer.RequestsPerMinute * 3; i++)
            {
                await client.Secrets.ListAsync(tenant.ProjectId);
            }
        });

        Assert.Equal(HttpStatusCode.TooManyRequests, error.Status);
        Assert.NotNull(error.RetryAfter);
        Assert.InRange(error.RetryAfter!.Value, TimeSpan.Zero, TimeSpan.FromMinutes(1));
    }
}
