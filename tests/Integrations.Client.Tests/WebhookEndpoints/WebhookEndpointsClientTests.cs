using Integrations.Client.Messages;
using Integrations.Client.Tests.Webhooks;
using Integrations.Client.WebhookEndpoints;
using Integrations.Client.Webhooks;

namespace Integrations.Client.Tests.WebhookEndpoints;

/// <summary>Outbound webhook endpoints, every method once, against the Server process delivering to a loopback receiver.</summary>
[Collection(HubServerGroup.Name)]
public sealed class WebhookEndpointsClientTests(HubServer hub)
{
    [Fact]
    public async Task CreateGetListUpdateDelete_LoopbackEndpoint_RoundTripsItsSettings()
    {
        // Arrange
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        using var receiver = new CapturingReceiver();

        // Act
        var created = await client.WebhookEndpoints.CreateAsync(tenant.ProjectId, new NewWebhookEndpoint(receiver.Url)
        {
            EventTypes = ["invoice.*"], Description = "Billing", TimeoutMs = 5000, Headers = new Dictionary<string, string> { ["X-Team"] = "billing" },
            Retry = new EndpointRetry { Strategy = "linear_1s", MaxAttempts = 3 },
        });
        var read = await client.WebhookEndpoints.GetAsync(tenant.ProjectId, created.Id);
        var listed = await client.WebhookEndpoints.ListAsync(tenant.ProjectId);
        var updated = await client.WebhookEndpoints.UpdateAsync(tenant.ProjectId, created.Id, new WebhookEndpointPatch { Enabled = false, EventTypes = ["invoice.paid"] });
        var deleted = await client.WebhookEndpoints.DeleteAsync(tenant.ProjectId, created.Id);
        await Assert.ThrowsAsync<HubNotFoundException>(() => client.WebhookEndpoints.GetAsync(tenant.ProjectId, created.Id));

        // Assert
        Assert.StartsWith("wep_", created.Id, StringComparison.Ordinal);
        Assert.Equal(receiver.Url, read.Url);
        Assert.Equal(["invoice.*"], read.EventTypes);
        Assert.Equal(5000, read.TimeoutMs);
        Assert.Equal("billing", read.Headers["X-Team"]);
        Assert.Equal(3, read.Retry?.MaxAttempts);
        Assert.Single(read.Keys);
        Assert.Equal([created.Id], listed.Data.Select(e => e.Id));
        Assert.False(updated.Enabled);
        Assert.Equal(["invoice.paid"], updated.EventTypes);
        Assert.Equal("Billing", updated.Description);
        Assert.Equal(created.Id, deleted.Id);
    }

    [Fact]
    public async Task RotateSecret_ThenADelivery_IsSignedByBothSecretsAndVerifiesWithEither()
    {
        // Arrange
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        using var receiver = new CapturingReceiver();
        var endpoint = await client.WebhookEndpoints.CreateAsync(tenant.ProjectId, new NewWebhookEndpoint(receiver.Url));
        var before = await client.WebhookEndpoints.RevealSecretsAsync(tenant.ProjectId, endpoint.Id);

        // Act
        var rotated = await client.WebhookEndpoints.RotateSecretAsync(tenant.ProjectId, endpoint.Id);
        var after = await client.WebhookEndpoints.RevealSecretsAsync(tenant.ProjectId, endpoint.Id);
        await client.Messages.SendAsync(tenant.ProjectId, NewMessage.Create("invoice.paid", new { amount = 1 }));
        var (headers, body) = await receiver.NextAsync(TimeSpan.FromSeconds(30));

        // Assert: the old secret keeps signing through the overlap, the new one signs too.
        Assert.Equal(2, rotated.Keys.Count);
        var oldSecret = Assert.Single(before.Secrets);
        Assert.Equal(2, after.Secrets.Count);
        Assert.Contains(oldSecret, after.Secrets);
        Assert.DoesNotContain(oldSecret, after.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(oldSecret, after.Keys[0].ToString(), StringComparison.Ordinal);
        Assert.Equal("invoice.paid", WebhookVerifier.Verify(after.Secrets[0], headers, body).Type);
        Assert.Equal("invoice.paid", WebhookVerifier.Verify(oldSecret, headers, body).Type);
    }

    [Fact]
    public async Task RecoverAttemptsStats_AFailedDelivery_IsDeliveredAgainAndCounted()
    {
        // Arrange: one attempt only, and a receiver that fails it.
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        using var receiver = new CapturingReceiver { Status = 500 };
        var since = TimeProvider.System.GetUtcNow().AddMinutes(-1);
        var endpoint = await client.WebhookEndpoints.CreateAsync(tenant.ProjectId, new NewWebhookEndpoint(receiver.Url)
        {
            Retry = new EndpointRetry { Strategy = "linear_1s", MaxAttempts = 1 },
        });
        var secrets = await client.WebhookEndpoints.RevealSecretsAsync(tenant.ProjectId, endpoint.Id);
        var sent = await client.Messages.SendAsync(tenant.ProjectId, NewMessage.Create("order.created", new { id = 7 }));
        await receiver.NextAsync(TimeSpan.FromSeconds(30));
        var failed = await Eventually.UntilAsync(() => client.Messages.GetAsync(tenant.ProjectId, sent.Id), m => m.Deliveries.Single().State == "failed");
        receiver.Status = 204;

        // Act
        var recovered = await client.WebhookEndpoints.RecoverAsync(tenant.ProjectId, endpoint.Id, since);
        var (headers, body) = await receiver.NextAsync(TimeSpan.FromSeconds(30));
        var attempts = await Eventually.UntilAsync(() => client.WebhookEndpoints.ListAttemptsAsync(tenant.ProjectId, endpoint.Id, since), a => a.Data.Count >= 2);
        var stats = await Eventually.UntilAsync(() => client.WebhookEndpoints.GetStatsAsync(tenant.ProjectId, endpoint.Id, since), s => s.Delivered >= 1);

        // Assert
        Assert.Equal("failed", failed.Deliveries.Single().State);
        Assert.Equal(1, recovered.Count);
        Assert.False(recovered.More);
        Assert.Equal(sent.Id, WebhookVerifier.Verify(secrets.Secrets, headers, body).Id);
        Assert.Equal([true, false], attempts.Data.Select(a => a.Succeeded)); // newest first
        Assert.Equal(500, attempts.Data[1].StatusCode);
        Assert.Equal(1, stats.Delivered);
        Assert.Equal(1, stats.Failed);
    }

    [Fact]
    public async Task Create_TimeoutOutOfRange_ThrowsValidationExceptionNamingTheField()
    {
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);

        var error = await Assert.ThrowsAsync<HubValidationException>(() =>
            client.WebhookEndpoints.CreateAsync(tenant.ProjectId, new NewWebhookEndpoint(new Uri("http://127.0.0.1:9/hooks")) { TimeoutMs = 5 }));

        Assert.Equal("timeout_ms", error.Field);
    }

    [Fact]
    public async Task RevealSecrets_KeyWithoutSecretsReveal_ThrowsForbidden()
    {
        var tenant = await hub.NewTenantAsync();
        using var owner = hub.Client(tenant);
        var endpoint = await owner.WebhookEndpoints.CreateAsync(tenant.ProjectId, new NewWebhookEndpoint(new Uri("http://127.0.0.1:9/hooks")));
        var narrow = await hub.NewKeyAsync(tenant, "webhooks:read");
        using var narrowClient = hub.Client(tenant with { ApiKey = narrow });

        await narrowClient.WebhookEndpoints.GetAsync(tenant.ProjectId, endpoint.Id);
        await Assert.ThrowsAsync<HubForbiddenException>(() => narrowClient.WebhookEndpoints.RevealSecretsAsync(tenant.ProjectId, endpoint.Id));
    }

    [Fact]
    public async Task GetAndRecover_AnotherOrganizationsKey_ThrowsNotFound()
    {
        var tenant = await hub.NewTenantAsync();
        var other = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        using var intruder = hub.Client(other);
        var endpoint = await client.WebhookEndpoints.CreateAsync(tenant.ProjectId, new NewWebhookEndpoint(new Uri("http://127.0.0.1:9/hooks")));

        await Assert.ThrowsAsync<HubNotFoundException>(() => intruder.WebhookEndpoints.GetAsync(tenant.ProjectId, endpoint.Id));
        await Assert.ThrowsAsync<HubNotFoundException>(() => intruder.WebhookEndpoints.GetAsync(other.ProjectId, endpoint.Id));
        await Assert.ThrowsAsync<HubNotFoundException>(() => intruder.WebhookEndpoints.RevealSecretsAsync(other.ProjectId, endpoint.Id));
        await Assert.ThrowsAsync<HubNotFoundException>(() => intruder.WebhookEndpoints.RecoverAsync(other.ProjectId, endpoint.Id, TimeProvider.System.GetUtcNow().AddHours(-1)));
    }
}
