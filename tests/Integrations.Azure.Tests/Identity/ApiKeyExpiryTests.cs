using Integrations.Core.Crypto;
using Integrations.Core.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Azure.Tests.Identity;

public sealed class ApiKeyExpiryTests
{
    [Fact]
    public async Task Authenticate_AfterExpiry_IsRefusedAsExpired()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        await using var hub = await HubServices.StartAsync(configure: s => s.AddSingleton<TimeProvider>(time));
        var issued = await hub.Get<ApiKeyService>().CreateAsync("org_aaaaaaaaaaaaaaaaaaaa", "ci", [Scopes.SecretsRead], time.GetUtcNow().AddHours(1), "test");
        var authenticator = hub.Get<CallerAuthenticator>();

        var before = await authenticator.AuthenticateAsync(issued.Value!.Token);
        time.Advance(TimeSpan.FromHours(2));
        var after = await authenticator.AuthenticateAsync(issued.Value.Token);

        Assert.Equal("org_aaaaaaaaaaaaaaaaaaaa", before.Caller?.OrganizationId);
        Assert.Null(after.Caller);
        Assert.Equal(AuthenticationFailure.Expired, after.Failure);
    }

    [Fact]
    public async Task Authenticate_RevokedOnAnotherInstance_IsRefusedOnceTheCacheLapses()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        await using var a = await HubServices.StartAsync(configure: s => s.AddSingleton<TimeProvider>(time));
        // Instances of one deployment share its root key: API keys are looked up under the ring's authority key.
        var rootKey = a.Get<IOptions<KeyWrappingOptions>>().Value.RootKey;
        await using var b = await HubServices.StartAsync(a.Prefix, rootKey, configure: s => s.AddSingleton<TimeProvider>(time));
        var issued = await a.Get<ApiKeyService>().CreateAsync("org_aaaaaaaaaaaaaaaaaaaa", "ci", [Scopes.SecretsRead], null, "test");
        Assert.NotNull((await b.Get<CallerAuthenticator>().AuthenticateAsync(issued.Value!.Token)).Caller);

        await a.Get<ApiKeyService>().RevokeAsync("org_aaaaaaaaaaaaaaaaaaaa", issued.Value.Key.Id, new ApiKeyActor("test", "test"));
        var onRevokingInstance = await a.Get<CallerAuthenticator>().AuthenticateAsync(issued.Value.Token);
        time.Advance(TimeSpan.FromSeconds(31));
        var onOtherInstance = await b.Get<CallerAuthenticator>().AuthenticateAsync(issued.Value.Token);

        Assert.Equal(AuthenticationFailure.Revoked, onRevokingInstance.Failure);
        Assert.Equal(AuthenticationFailure.Revoked, onOtherInstance.Failure);
    }
}
