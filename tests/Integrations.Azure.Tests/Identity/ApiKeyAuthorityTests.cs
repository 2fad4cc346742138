using Azure.Data.Tables;
using Integrations.Azure.Tables;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Azure.Tests.Identity;

/// <summary>A key cannot grant more than it has: scopes, expiry, lifetime; and revoking it revokes what it created.</summary>
public sealed class ApiKeyAuthorityTests
{
    private const string Org = "org_aaaaaaaaaaaaaaaaaaaa";
    private static readonly ApiKeyActor Tester = new("test", "test");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));

    private Task<HubServices> StartAsync(IDictionary<string, string?>? settings = null) =>
        HubServices.StartAsync(settings: settings, configure: s => s.AddSingleton<TimeProvider>(_time));

    [Fact]
    public async Task CreateByKey_ScopeTheCreatorLacks_IsRefusedAndNothingIsWritten()
    {
        await using var hub = await StartAsync();
        var apiKeys = hub.Get<ApiKeyService>();
        var creator = (await apiKeys.CreateAsync(Org, "admin-read", [Scopes.Admin, Scopes.SecretsRead], null, "test")).Value!.Key;

        var escalated = await apiKeys.CreateByKeyAsync(Org, creator.Id, "wants-reveal", [Scopes.SecretsRead, Scopes.SecretsReveal], null);
        var subset = await apiKeys.CreateByKeyAsync(Org, creator.Id, "reader", [Scopes.SecretsRead], null);

        Assert.Equal(IdentityErrors.ScopeNotHeld, escalated.Error?.Code);
        Assert.Equal(ErrorKind.Forbidden, escalated.Error?.Kind);
        Assert.True(subset.IsSuccess);
        Assert.Equal(creator.Id, subset.Value!.Key.ParentKeyId);
        Assert.DoesNotContain(await apiKeys.ListAsync(Org), k => k.Name == "wants-reveal");
    }

    [Fact]
    public async Task CreateByKey_ExpiryAfterTheCreators_IsRefused_AndNoExpiryMeansTheCreators()
    {
        await using var hub = await StartAsync();
        var apiKeys = hub.Get<ApiKeyService>();
        var creatorExpiry = _time.GetUtcNow().AddDays(10);
        var creator = (await apiKeys.CreateAsync(Org, "short-lived", [Scopes.Admin], creatorExpiry, "test")).Value!.Key;

        var later = await apiKeys.CreateByKeyAsync(Org, creator.Id, "outlives", [Scopes.Admin], creatorExpiry.AddSeconds(1));
        var unspecified = await apiKeys.CreateByKeyAsync(Org, creator.Id, "default", [Scopes.Admin], null);

        Assert.Equal(IdentityErrors.ExpiryTooLate, later.Error?.Code);
        Assert.Equal("expires_at", later.Error?.Field);
        Assert.Equal(creatorExpiry, unspecified.Value?.Key.ExpiresAt);
    }

    [Fact]
    public async Task Create_NoExpiry_ExpiresAtMaxLifetime_LaterIsRefused_OwnerKeyNeverExpires()
    {
        await using var hub = await StartAsync(new Dictionary<string, string?> { ["Hub:MaxApiKeyLifetime"] = "30.00:00:00" });
        var apiKeys = hub.Get<ApiKeyService>();
        var now = _time.GetUtcNow();

        var unspecified = await apiKeys.CreateAsync(Org, "default", [Scopes.SecretsRead], null, "test");
        var tooLate = await apiKeys.CreateAsync(Org, "too-late", [Scopes.SecretsRead], now.AddDays(31), "test");
        var child = await apiKeys.CreateByKeyAsync(Org, unspecified.Value!.Key.Id, "child", [Scopes.SecretsRead], null);
        var organization = await hub.Get<Core.Tenancy.TenancyService>().CreateOrganizationAsync("Acme", "test");

        Assert.Equal(now.AddDays(30), unspecified.Value.Key.ExpiresAt);
        Assert.Equal(IdentityErrors.ExpiryTooLate, tooLate.Error?.Code);
        Assert.Equal(now.AddDays(30), child.Value?.Key.ExpiresAt);
        Assert.Null(organization.Value.OwnerKey.Key.ExpiresAt);
        Assert.Contains(Scopes.SecretsPurge, organization.Value.OwnerKey.Key.Scopes);
    }

    [Fact]
    public async Task Revoke_RevokesChildAndGrandchild_InBothRows_AndAuditsEachOne()
    {
        await using var hub = await StartAsync();
        var apiKeys = hub.Get<ApiKeyService>();
        var root = (await apiKeys.CreateAsync(Org, "root", [Scopes.Admin, Scopes.SecretsRead], null, "test")).Value!;
        var child = (await apiKeys.CreateByKeyAsync(Org, root.Key.Id, "child", [Scopes.Admin, Scopes.SecretsRead], null)).Value!;
        var grandchild = (await apiKeys.CreateByKeyAsync(Org, child.Key.Id, "grandchild", [Scopes.SecretsRead], null)).Value!;
        var sibling = (await apiKeys.CreateAsync(Org, "unrelated", [Scopes.SecretsRead], null, "test")).Value!;
        var authenticator = hub.Get<CallerAuthenticator>();
        Assert.NotNull((await authenticator.AuthenticateAsync(grandchild.Token)).Caller);

        var revoked = await apiKeys.RevokeAsync(Org, root.Key.Id, Tester);

        Assert.Equal(new[] { child.Key.Id, grandchild.Key.Id }.Order(StringComparer.Ordinal), revoked.Value!.DescendantIds.Order(StringComparer.Ordinal));
        foreach (var issued in new[] { root, child, grandchild })
        {
            Assert.Equal(AuthenticationFailure.Revoked, (await authenticator.AuthenticateAsync(issued.Token)).Failure);
            Assert.NotNull((await hub.Get<IApiKeyStore>().FindByHashAsync(issued.Key.Hash))?.RevokedAt);
            Assert.NotNull((await hub.Get<IApiKeyStore>().GetAsync(Org, issued.Key.Id))?.RevokedAt);
        }

        Assert.NotNull((await authenticator.AuthenticateAsync(sibling.Token)).Caller);
        var log = await hub.Get<IAuditStore>().QueryAsync(AuditPartition.For(Org, null), DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new PageRequest(1, 100));
        var cascaded = log.Items.Where(r => r.Action == AuditActions.ApiKeyRevokeCascade).Select(r => r.Target).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { $"apikey/{child.Key.Id}", $"apikey/{grandchild.Key.Id}" }.Order(StringComparer.Ordinal), cascaded);
    }

    [Fact]
    public async Task Revoke_FailingHalfWay_LeavesNoKeyUsable_AndARetryFinishes()
    {
        var failing = (FailingListedRevocations?)null;
        await using var hub = await HubServices.StartAsync(configure: s =>
        {
            s.TryAddSingleton<TableApiKeyStore>();
            s.Replace(ServiceDescriptor.Singleton<IApiKeyStore>(sp => failing = new FailingListedRevocations(sp.GetRequiredService<TableApiKeyStore>())));
        });
        var apiKeys = hub.Get<ApiKeyService>();
        var root = (await apiKeys.CreateAsync(Org, "root", [Scopes.Admin], null, "test")).Value!;
        var child = (await apiKeys.CreateByKeyAsync(Org, root.Key.Id, "child", [Scopes.Admin], null)).Value!;
        var authenticator = hub.Get<CallerAuthenticator>();
        failing!.Fail = true;

        await Assert.ThrowsAsync<IOException>(() => apiKeys.RevokeAsync(Org, root.Key.Id, Tester));
        var halfWay = await Task.WhenAll(new[] { root, child }.Select(async k => (await authenticator.AuthenticateAsync(k.Token)).Failure));
        failing.Fail = false;
        var retried = await apiKeys.RevokeAsync(Org, root.Key.Id, Tester);

        Assert.All(halfWay, f => Assert.Equal(AuthenticationFailure.Revoked, f)); // usable nowhere, though still listed as active
        Assert.True(retried.IsSuccess);
        Assert.All(await apiKeys.ListAsync(Org), k => Assert.NotNull(k.RevokedAt));
    }

    [Fact]
    public async Task CreateByKey_CreatorRevokedWhileTheChildIsWritten_RevokesTheChild()
    {
        var gate = (GatedAdds?)null;
        await using var hub = await HubServices.StartAsync(configure: s =>
        {
            s.TryAddSingleton<TableApiKeyStore>();
            s.Replace(ServiceDescriptor.Singleton<IApiKeyStore>(sp => gate = new GatedAdds(sp.GetRequiredService<TableApiKeyStore>())));
        });
        var apiKeys = hub.Get<ApiKeyService>();
        var creator = (await apiKeys.CreateAsync(Org, "creator", [Scopes.Admin], null, "test")).Value!;
        gate!.Hold = true;

        // The child's rows are written, then its creation waits while the creator's revocation runs from start to end.
        var creating = apiKeys.CreateByKeyAsync(Org, creator.Key.Id, "child", [Scopes.Admin], null);
        var written = await gate.Written.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var revocation = await apiKeys.RevokeAsync(Org, creator.Key.Id, Tester);
        gate.Release.SetResult();
        var created = await creating;

        Assert.True(revocation.IsSuccess);
        Assert.Equal(IdentityErrors.CreatingKeyRevoked, created.Error?.Code);
        Assert.NotNull((await hub.Get<IApiKeyStore>().FindByHashAsync(written.Hash))?.RevokedAt);
        Assert.NotNull((await hub.Get<IApiKeyStore>().GetAsync(Org, written.Id))?.RevokedAt);
    }

    [Fact]
    public async Task Create_AtTheKeyQuota_IsRefusedWith409()
    {
        await using var hub = await StartAsync(new Dictionary<string, string?> { ["Hub:MaxApiKeysPerOrganization"] = "3" });
        var apiKeys = hub.Get<ApiKeyService>();
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await apiKeys.CreateAsync(Org, $"k{i}", [Scopes.SecretsRead], null, "test")).IsSuccess);
        }

        var fourth = await apiKeys.CreateAsync(Org, "k3", [Scopes.SecretsRead], null, "test");
        var otherOrganization = await apiKeys.CreateAsync("org_bbbbbbbbbbbbbbbbbbbb", "k0", [Scopes.SecretsRead], null, "test");

        Assert.Equal(IdentityErrors.ApiKeyQuotaReached, fourth.Error?.Code);
        Assert.Equal(ErrorKind.Conflict, fourth.Error?.Kind);
        Assert.True(otherOrganization.IsSuccess);
        Assert.Equal(3, await hub.Get<IApiKeyStore>().CountAsync(Org));
    }

    [Fact]
    public async Task RemoveEnded_DeletesBothRowsOfKeysEndedPastRetention_AuditsThem_AndKeepsTheRest()
    {
        await using var hub = await StartAsync(new Dictionary<string, string?> { ["Hub:EndedApiKeyRetention"] = "7.00:00:00" });
        var apiKeys = hub.Get<ApiKeyService>();
        var start = _time.GetUtcNow();
        var expired = (await apiKeys.CreateAsync(Org, "expired", [Scopes.SecretsRead], start.AddDays(1), "test")).Value!;
        var revoked = (await apiKeys.CreateAsync(Org, "revoked", [Scopes.SecretsRead], null, "test")).Value!;
        await apiKeys.RevokeAsync(Org, revoked.Key.Id, Tester);
        var recentlyExpired = (await apiKeys.CreateAsync(Org, "recent", [Scopes.SecretsRead], start.AddDays(5), "test")).Value!;
        var live = (await apiKeys.CreateAsync(Org, "live", [Scopes.SecretsRead], null, "test")).Value!;
        _time.Advance(TimeSpan.FromDays(9)); // expired: 8 days ago; revoked: 9; recent: 4 (inside the 7-day retention)

        var removed = await apiKeys.RemoveEndedAsync();

        Assert.Equal(2, removed);
        var table = new TableClient(hub.ConnectionString, hub.Prefix + "apikeys");
        var rows = new List<(string, string)>();
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            rows.Add((row.PartitionKey, row.RowKey));
        }

        Assert.Equal(
            new[] { (recentlyExpired.Key.Hash, "key"), (Org, recentlyExpired.Key.Id), (live.Key.Hash, "key"), (Org, live.Key.Id) }.Order(),
            rows.Order());
        var log = await hub.Get<IAuditStore>().QueryAsync(AuditPartition.For(Org, null), DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new PageRequest(1, 100));
        var cleaned = log.Items.Where(r => r.Action == AuditActions.ApiKeyCleanup).Select(r => r.Target).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { $"apikey/{expired.Key.Id}", $"apikey/{revoked.Key.Id}" }.Order(StringComparer.Ordinal), cleaned);
        Assert.Equal(0, await apiKeys.RemoveEndedAsync());
    }

    private sealed class FailingListedRevocations(TableApiKeyStore inner) : DelegatingApiKeyStore(inner)
    {
        public volatile bool Fail;

        public override Task RevokeListedRowsAsync(string organizationId, IReadOnlyList<ApiKey> keys, DateTimeOffset revokedAt, CancellationToken cancellationToken = default) =>
            Fail ? throw new IOException("storage unavailable") : base.RevokeListedRowsAsync(organizationId, keys, revokedAt, cancellationToken);
    }

    private sealed class GatedAdds(TableApiKeyStore inner) : DelegatingApiKeyStore(inner)
    {
        public volatile bool Hold;

        public TaskCompletionSource<ApiKey> Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task AddAsync(ApiKey key, CancellationToken cancellationToken = default)
        {
            await base.AddAsync(key, cancellationToken);
            if (Hold)
            {
                Hold = false;
                Written.SetResult(key);
                await Release.Task;
            }
        }
    }
}
