using Integrations.Azure.Tables;
using Integrations.Core.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Azure.Tests.Identity;

/// <summary>API-key authentication over the real key table, counting how often it is read (the table store, wrapped, not replaced).</summary>
public sealed class CallerAuthenticatorTests
{
    private sealed class CountingApiKeyStore(TableApiKeyStore inner) : DelegatingApiKeyStore(inner)
    {
        public int Lookups;

        public override Task<ApiKey?> FindByHashAsync(string hash, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Lookups);
            return base.FindByHashAsync(hash, cancellationToken);
        }
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

    [Fact]
    public async Task LookupInFlightDuringRevocation_DoesNotPutTheRevokedKeyBackInTheCache()
    {
        // The real Table store behind a gate: the first lookup reads the key's row (still active), then waits until the
        // revocation has finished, then returns what it read: the interleaving that used to re-cache a revoked key.
        var gate = (GatedLookups?)null;
        await using var hub = await HubServices.StartAsync(configure: services =>
        {
            services.TryAddSingleton<TableApiKeyStore>();
            services.Replace(ServiceDescriptor.Singleton<IApiKeyStore>(sp => gate = new GatedLookups(sp.GetRequiredService<TableApiKeyStore>())));
        });
        var issued = (await hub.Get<ApiKeyService>().CreateAsync("org_aaaaaaaaaaaaaaaaaaaa", "raced", [Scopes.SecretsRead], null, "test")).Value!;
        var authenticator = hub.Get<CallerAuthenticator>();
        gate!.Hold = true;

        var inFlight = authenticator.AuthenticateAsync(issued.Token).AsTask();
        var readBeforeRevocation = await gate.Read.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var revoked = await hub.Get<ApiKeyService>().RevokeAsync("org_aaaaaaaaaaaaaaaaaaaa", issued.Key.Id, new ApiKeyActor("test", "test"));
        gate.Release.SetResult();
        var answered = await inFlight;
        var lookupsBefore = gate.Lookups;
        var next = await authenticator.AuthenticateAsync(issued.Token);

        Assert.Null(readBeforeRevocation!.RevokedAt);
        Assert.True(revoked.IsSuccess);
        Assert.Equal(AuthenticationFailure.Revoked, answered.Failure);
        Assert.Equal(AuthenticationFailure.Revoked, next.Failure);
        Assert.Equal(lookupsBefore + 1, gate.Lookups); // the revoked key was not served from the cache: it was read again
    }

    private sealed class GatedLookups(TableApiKeyStore inner) : DelegatingApiKeyStore(inner)
    {
        public volatile bool Hold;
        public int Lookups;

        public TaskCompletionSource<ApiKey?> Read { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<ApiKey?> FindByHashAsync(string hash, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Lookups);
            var key = await base.FindByHashAsync(hash, cancellationToken);
            if (Hold)
            {
                Hold = false;
                Read.SetResult(key);
                await Release.Task;
            }

            return key;
        }
    }
}
