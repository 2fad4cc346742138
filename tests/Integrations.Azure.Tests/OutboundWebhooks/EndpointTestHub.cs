using Integrations.Core.Common;
using Integrations.Core.Events;
using Integrations.Core.OutboundWebhooks;
using Integrations.Core.Tenancy;
using Integrations.Core.Vault;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Azure.Tests.OutboundWebhooks;

/// <summary>
/// Hub services over Azurite with a clock the test drives and the real endpoint store behind a decorator that counts its
/// reads, so a test can tell a warm directory call (no read) from a cold one.
/// </summary>
internal sealed class EndpointTestHub : IAsyncDisposable
{
    private EndpointTestHub(HubServices services, FakeTimeProvider time)
    {
        Services = services;
        Time = time;
    }

    public HubServices Services { get; }

    public FakeTimeProvider Time { get; }

    public WebhookEndpointService Endpoints => Services.Get<WebhookEndpointService>();

    public IWebhookEndpointDirectory Directory => Services.Get<IWebhookEndpointDirectory>();

    public CountingEndpointStore Store => Services.Get<CountingEndpointStore>();

    public VaultService Vault => Services.Get<VaultService>();

    public IEventOutbox Outbox => Services.Get<IEventOutbox>();

    public static async Task<EndpointTestHub> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var services = await HubServices.StartAsync(null, null, settings, s =>
        {
            s.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
            s.AddSingleton(sp => new CountingEndpointStore(ActivatorUtilities.CreateInstance<Integrations.Azure.Tables.TableWebhookEndpointStore>(sp)));
            s.Replace(ServiceDescriptor.Singleton<IWebhookEndpointStore>(sp => sp.GetRequiredService<CountingEndpointStore>()));
        });
        return new EndpointTestHub(services, time);
    }

    public async Task<Project> ProjectAsync(string organizationName = "Acme")
    {
        var (org, project) = await Services.CreateProjectAsync(organizationName);
        return await Services.ProjectAsync(org, project);
    }

    public async Task<WebhookEndpoint> CreateAsync(Project project, WebhookEndpointInput input)
    {
        var created = await Endpoints.CreateAsync(project, input, "test");
        Assert.True(created.IsSuccess, created.Error?.Message);
        return created.Value!;
    }

    public async Task<string> SecretOfAsync(WebhookEndpoint endpoint, EndpointSigningKey key)
    {
        var revealed = await Vault.RevealAsync(new SecretLocation(endpoint.OrganizationId, endpoint.ProjectId, key.SecretName), null);
        Assert.True(revealed.IsSuccess, revealed.Error?.Message);
        return revealed.Value!.Value;
    }

    /// <summary>The names of the project's hub-managed webhook secrets in the vault (deleted ones too, until purged).</summary>
    public async Task<IReadOnlyList<string>> WebhookSecretNamesAsync(Project project)
    {
        var names = new List<string>();
        foreach (var deleted in new[] { false, true })
        {
            var listed = await Vault.ListAsync(project, new SecretQuery("webhook.", null, deleted, new PageRequest(1, 100)));
            names.AddRange(listed.Value!.Items.Select(s => s.Location.Name));
        }

        return names;
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}

/// <summary>The real store, counting the reads that go to storage.</summary>
internal sealed class CountingEndpointStore(IWebhookEndpointStore inner) : IWebhookEndpointStore
{
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    public IWebhookEndpointStore Inner => inner;

    public Task<WriteOutcome> TryCreateAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken = default) => inner.TryCreateAsync(endpoint, cancellationToken);

    public Task<WebhookEndpoint?> GetAsync(string organizationId, string projectId, string endpointId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return inner.GetAsync(organizationId, projectId, endpointId, cancellationToken);
    }

    public Task<WriteOutcome> TryUpdateAsync(WebhookEndpoint updated, CancellationToken cancellationToken = default) => inner.TryUpdateAsync(updated, cancellationToken);

    public Task<WriteOutcome> TryDeleteAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken = default) => inner.TryDeleteAsync(endpoint, cancellationToken);

    public Task<PagedList<WebhookEndpoint>> ListAsync(string organizationId, string projectId, PageRequest page, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return inner.ListAsync(organizationId, projectId, page, cancellationToken);
    }

    public Task<IReadOnlyList<WebhookEndpoint>> ListAllAsync(string organizationId, string projectId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return inner.ListAllAsync(organizationId, projectId, cancellationToken);
    }
}
