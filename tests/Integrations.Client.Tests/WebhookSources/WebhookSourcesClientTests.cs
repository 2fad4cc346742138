using System.Text;
using Integrations.Client.WebhookSources;
using Integrations.Core.OutboundWebhooks;
using Integrations.Testing;

namespace Integrations.Client.Tests.WebhookSources;

/// <summary>Webhook sources and the events they received, every method once, against the Server process; deliveries signed as a provider signs them.</summary>
[Collection(HubServerGroup.Name)]
public sealed class WebhookSourcesClientTests(HubServer hub)
{
    [Fact]
    public async Task CreateGetListUpdateAddSecretDelete_StandardSource_RoundTripsAndShowsTheGeneratedSecretOnce()
    {
        // Arrange
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);

        // Act
        var created = await client.WebhookSources.CreateAsync(tenant.ProjectId, new NewWebhookSource("billing", "standard") { GenerateSecret = true, Description = "Billing" });
        var read = await client.WebhookSources.GetAsync(tenant.ProjectId, created.Id);
        var listed = await client.WebhookSources.ListAsync(tenant.ProjectId);
        var updated = await client.WebhookSources.UpdateAsync(tenant.ProjectId, created.Id,
            new WebhookSourcePatch { Description = "Billing v2", Settings = new WebhookSourceSettings { ToleranceSeconds = 120 } });
        var rotated = await client.WebhookSources.AddSecretAsync(tenant.ProjectId, created.Id, expirePrevious: TimeSpan.FromHours(1));
        var deleted = await client.WebhookSources.DeleteAsync(tenant.ProjectId, created.Id);
        var gone = await Assert.ThrowsAsync<HubNotFoundException>(() => client.WebhookSources.GetAsync(tenant.ProjectId, created.Id));

        // Assert
        Assert.StartsWith("whs_", created.Id, StringComparison.Ordinal);
        Assert.StartsWith("whsec_", created.Secret, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Secret!, created.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("/v1/webhooks/" + created.Id, created.Url.OriginalString, StringComparison.Ordinal);
        Assert.Null(read.Secret);
        Assert.Equal("Billing", read.Description);
        Assert.Equal([created.Id], listed.Data.Select(s => s.Id));
        Assert.Equal("Billing v2", updated.Description);
        Assert.Equal(120, updated.Settings.ToleranceSeconds);
        Assert.StartsWith("whsec_", rotated.Secret, StringComparison.Ordinal);
        Assert.NotEqual(created.Secret, rotated.Secret);
        Assert.Equal(2, rotated.Keys.Count);
        Assert.Contains(rotated.Keys, k => k.NotAfter is not null);
        Assert.Equal(created.Id, deleted.Id);
        Assert.Equal("not-found", gone.Code);
    }

    [Fact]
    public async Task Events_ASignedDelivery_IsListedReadWithItsRawBodyReplayedAndCounted()
    {
        // Arrange: a Standard Webhooks source, and a delivery signed with its secret as a provider sends it.
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        var source = await client.WebhookSources.CreateAsync(tenant.ProjectId, new NewWebhookSource("provider", "standard") { GenerateSecret = true });
        var another = await client.WebhookSources.CreateAsync(tenant.ProjectId, new NewWebhookSource("another", "standard") { GenerateSecret = true });
        var body = Encoding.UTF8.GetBytes("""{"type":"invoice.paid","data":{"amount":42}}""");
        var providerEventId = "msg_" + TestRandom.Hex(8);
        await DeliverAsync(another.Id, another.Secret!, "msg_" + TestRandom.Hex(8), """{"type":"other"}"""u8.ToArray());
        await DeliverAsync(source.Id, source.Secret!, providerEventId, body);
        var since = TimeProvider.System.GetUtcNow().AddMinutes(-5);

        // Act
        var all = await client.WebhookEvents.ListAsync(tenant.ProjectId);
        var listed = await client.WebhookEvents.ListAsync(tenant.ProjectId, new WebhookEventQuery { SourceId = source.Id, Since = since });
        var received = Assert.Single(listed.Data);
        var detail = await client.WebhookEvents.GetAsync(tenant.ProjectId, received.Id);
        var replayed = await client.WebhookEvents.ReplayAsync(tenant.ProjectId, received.Id);
        var stats = await Eventually.UntilAsync(() => client.WebhookSources.GetStatsAsync(tenant.ProjectId, source.Id, since), s => s.Accepted >= 1);

        // Assert
        Assert.Equal(2, all.Pagination.Total);
        Assert.Equal(providerEventId, received.ProviderEventId);
        Assert.Equal(body.Length, received.BodyLength);
        Assert.Equal(body, detail.DecodeBody());
        Assert.Equal(Encoding.UTF8.GetString(body), detail.Body);
        Assert.True(replayed.Replayed);
        Assert.Equal(received.Id, replayed.EventId);
        Assert.Equal(1, stats.Accepted);
        Assert.Equal(source.Id, stats.SourceId);
    }

    [Fact]
    public async Task Create_UnknownScheme_ThrowsValidationExceptionNamingTheField()
    {
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);

        var error = await Assert.ThrowsAsync<HubValidationException>(() =>
            client.WebhookSources.CreateAsync(tenant.ProjectId, new NewWebhookSource("x", "no-such-scheme") { Secret = "s3cr3t-value-that-is-long" }));

        Assert.Equal("scheme", error.Field);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSourceAndEvent_AnotherOrganizationsKey_ThrowsNotFound()
    {
        // Arrange: tenant A's source with one received event.
        var tenant = await hub.NewTenantAsync();
        var other = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        using var intruder = hub.Client(other);
        var source = await client.WebhookSources.CreateAsync(tenant.ProjectId, new NewWebhookSource("mine", "standard") { GenerateSecret = true });
        await DeliverAsync(source.Id, source.Secret!, "msg_" + TestRandom.Hex(8), """{"type":"x"}"""u8.ToArray());
        var eventId = (await client.WebhookEvents.ListAsync(tenant.ProjectId)).Data.Single().Id;

        // Act + Assert: B's key names A's project and ids; B's own project with A's ids.
        await Assert.ThrowsAsync<HubNotFoundException>(() => intruder.WebhookSources.GetAsync(tenant.ProjectId, source.Id));
        await Assert.ThrowsAsync<HubNotFoundException>(() => intruder.WebhookSources.GetAsync(other.ProjectId, source.Id));
        await Assert.ThrowsAsync<HubNotFoundException>(() => intruder.WebhookEvents.GetAsync(other.ProjectId, eventId));
        await Assert.ThrowsAsync<HubNotFoundException>(() => intruder.WebhookEvents.ReplayAsync(other.ProjectId, eventId));
    }

    /// <summary>What a provider does: POST to the source's ingress route, signed with Standard Webhooks.</summary>
    private async Task DeliverAsync(string sourceId, string secret, string eventId, byte[] body)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(hub.BaseAddress, "v1/webhooks/" + sourceId)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in StandardWebhookSigner.Headers(eventId, TimeProvider.System.GetUtcNow(), body, [secret]))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"ingress answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
