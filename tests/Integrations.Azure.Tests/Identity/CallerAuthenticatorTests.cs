using Integrations.Azure.Tables;
using Integrations.Core.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Azure.Tests.Identity;

/// <summary>API-key authentication over the real key table, counting how often it is read (the table store, wrapped, not replaced).</summary>
public sealed class CallerAuthenticatorTests
{
    private sealed class CountingApiKeyStore(TableApiKeyStore inner) : IApiKeyStore
    {
        public int Lookups;

        public Task AddAsync(ApiKey key, CancellationToken cancellationToken = default) => inner.AddAsync(key, cancellationToken);

        public Task<ApiKey?> FindByHashAsync(string hash, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Lookups);
            return inner.FindByHashAsync(hash, cancellationToken);
        }

        public Task<ApiKey?> GetAsync(string organizationId, string keyId, CancellationToken cancellationToken = default) => inner.GetAsync(organizationId, keyId, cancellationToken);

        public Task<IReadOnlyList<ApiKey>> ListAsync(string organizationId, CancellationToken cancellationToken = default) => inner.ListAsync(organizationId, cancellationToken);

        public Task<Core.Common.WriteOutcome> RevokeAsync(string organizationId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default) =>
            inner.RevokeAsync(organizationId, keyId, revokedAt, cancellationToken);
    }

    private static Task<HubServices> StartAsync() => HubServices.StartAsync(configure: services =>
    {
        services.TryAddSingleton<TableApiKeyStore>();
        services.AddSingleton(sp => new CountingApiKeyStore(sp.GetRequiredService<TableApiKeyStore>()));
        services.Replace(ServiceDescriptor.Singleton<IApiKeyStore>(sp => sp.GetRequiredService<CountingApiKeyStore>()));
    });

    [Fact]
    public async Task UnknownWellFormedKey_IsLookedUpOnce_ThenRemembered()
    {
        await using var hub = await StartAsync();
        var authenticator = hub.Get<CallerAuthenticator>();
        var madeUp = ApiKeyToken.Generate().Token;

        var results = new List<AuthenticationResult>();
        for (var i = 0; i < 50; i++)
        {
            results.Add(await authenticator.AuthenticateAsync(madeUp));
        }

        Assert.All(results, r => Assert.Equal(AuthenticationFailure.Unknown, r.Failure));
        Assert.Equal(1, hub.Get<CountingApiKeyStore>().Lookups);
    }

    [Fact]
    public async Task WithoutStorageLookups_OnlyKeysAlreadyHeldAuthenticate()
    {
        await using var hub = await StartAsync();
        var apiKeys = hub.Get<ApiKeyService>();
        var known = (await apiKeys.CreateAsync("org_aaaaaaaaaaaaaaaaaaaa", "known", [Scopes.SecretsRead], null, "test")).Value!.Token;
        var notYetHeld = (await apiKeys.CreateAsync("org_aaaaaaaaaaaaaaaaaaaa", "other", [Scopes.SecretsRead], null, "test")).Value!.Token;
        var authenticator = hub.Get<CallerAuthenticator>();
        await authenticator.AuthenticateAsync(known);
        var lookupsBefore = hub.Get<CountingApiKeyStore>().Lookups;

        var held = await authenticator.AuthenticateAsync(known, allowStorageLookup: false);
        var notHeld = await authenticator.AuthenticateAsync(notYetHeld, allowStorageLookup: false);
        var flood = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => authenticator.AuthenticateAsync(ApiKeyToken.Generate().Token, allowStorageLookup: false).AsTask()));

        Assert.NotNull(held.Caller);
        Assert.Equal(AuthenticationFailure.Unknown, notHeld.Failure);
        Assert.All(flood, r => Assert.Null(r.Caller));
        Assert.Equal(lookupsBefore, hub.Get<CountingApiKeyStore>().Lookups);
        Assert.NotNull((await authenticator.AuthenticateAsync(notYetHeld)).Caller);
    }

    [Fact]
    public async Task WithoutStorageLookups_AKeyHeldBefore_StillRefreshesAfterItsCacheLapses()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));
        await using var hub = await HubServices.StartAsync(configure: services =>
        {
            services.AddSingleton<TimeProvider>(time);
            services.TryAddSingleton<TableApiKeyStore>();
            services.AddSingleton(sp => new CountingApiKeyStore(sp.GetRequiredService<TableApiKeyStore>()));
            services.Replace(ServiceDescriptor.Singleton<IApiKeyStore>(sp => sp.GetRequiredService<CountingApiKeyStore>()));
        });
        var known = (await hub.Get<ApiKeyService>().CreateAsync("org_aaaaaaaaaaaaaaaaaaaa", "known", [Scopes.SecretsRead], null, "test")).Value!.Token;
        var authenticator = hub.Get<CallerAuthenticator>();
        await authenticator.AuthenticateAsync(known);

        time.Advance(TimeSpan.FromMinutes(5)); // far past Hub:ApiKeyCacheDuration (30 s), as in a long flood
        var lookupsBefore = hub.Get<CountingApiKeyStore>().Lookups;
        var during = await authenticator.AuthenticateAsync(known, allowStorageLookup: false);

        Assert.NotNull(during.Caller);
        Assert.Equal(lookupsBefore + 1, hub.Get<CountingApiKeyStore>().Lookups);
    }
}
