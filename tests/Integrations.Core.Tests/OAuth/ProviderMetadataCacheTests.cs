using Integrations.Core.Common;
using Integrations.Core.OAuth;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Core.Tests.OAuth;

public sealed class ProviderMetadataCacheTests
{
    private static readonly Uri Issuer = new("https://idp.example.com");

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly CountingDiscovery _discovery = new();

    [Fact]
    public async Task Resolve_WithinTtl_ReadsTheDocumentOnce()
    {
        var cache = Cache(TimeSpan.FromMinutes(10));

        await cache.ResolveAsync(Provider());
        _time.Advance(TimeSpan.FromMinutes(9));
        await cache.ResolveAsync(Provider());

        Assert.Equal(1, _discovery.Calls);
    }

    [Fact]
    public async Task Resolve_AfterTtl_ReadsTheDocumentAgain()
    {
        var cache = Cache(TimeSpan.FromMinutes(10));

        await cache.ResolveAsync(Provider());
        _time.Advance(TimeSpan.FromMinutes(11));
        await cache.ResolveAsync(Provider());

        Assert.Equal(2, _discovery.Calls);
    }

    [Fact]
    public async Task Resolve_FailedDiscovery_IsNotCached()
    {
        _discovery.Fail = true;
        var cache = Cache(TimeSpan.FromMinutes(10));

        var first = await cache.ResolveAsync(Provider());
        _discovery.Fail = false;
        var second = await cache.ResolveAsync(Provider());

        Assert.False(first.IsSuccess);
        Assert.True(second.IsSuccess);
        Assert.Equal(2, _discovery.Calls);
    }

    [Fact]
    public async Task Resolve_HandSetEndpoints_OverrideDiscoveredOnes()
    {
        var cache = Cache(TimeSpan.FromMinutes(10));
        var handSet = new ProviderEndpoints { Token = new Uri("https://idp.example.com/custom-token"), Revocation = new Uri("https://idp.example.com/custom-revoke") };

        var resolved = await cache.ResolveAsync(Provider() with { Endpoints = handSet });

        Assert.Equal("https://idp.example.com/custom-token", resolved.Value!.Token.AbsoluteUri);
        Assert.Equal("https://idp.example.com/custom-revoke", resolved.Value.Revocation!.AbsoluteUri);
        Assert.Equal("https://idp.example.com/authorize", resolved.Value.Authorization!.AbsoluteUri);
        Assert.True(resolved.Value.AuthorizationResponseIssParameterSupported);
    }

    [Fact]
    public async Task Resolve_NoIssuer_UsesHandSetEndpointsWithoutDiscovery()
    {
        var cache = Cache(TimeSpan.FromMinutes(10));
        var handSet = new ProviderEndpoints { Token = new Uri("https://idp.example.com/t") };

        var resolved = await cache.ResolveAsync(Provider() with { Issuer = null, Endpoints = handSet });

        Assert.Same(handSet, resolved.Value);
        Assert.Equal(0, _discovery.Calls);
    }

    private ProviderMetadataCache Cache(TimeSpan ttl) => new(_discovery, _time, Options.Create(new OAuthOptions { DiscoveryCacheDuration = ttl }));

    private static OAuthProvider Provider() => new()
    {
        Id = "prv_aaaaaaaaaaaaaaaaaaaa",
        OrganizationId = "org_aaaaaaaaaaaaaaaaaaaa",
        ProjectId = "prj_aaaaaaaaaaaaaaaaaaaa",
        Name = "idp",
        Issuer = Issuer,
        ClientId = "c",
        CreatedBy = "t",
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    private sealed class CountingDiscovery : IProviderDiscovery
    {
        public int Calls { get; private set; }

        public bool Fail { get; set; }

        public Task<Result<ProviderEndpoints>> DiscoverAsync(Uri issuer, CancellationToken cancellationToken = default)
        {
            Calls++;
            return Task.FromResult(Fail
                ? (Result<ProviderEndpoints>)HubError.Invalid(ProviderErrors.DiscoveryFailed, "down")
                : new ProviderEndpoints
                {
                    Issuer = issuer,
                    Authorization = new Uri("https://idp.example.com/authorize"),
                    Token = new Uri("https://idp.example.com/token"),
                    Revocation = new Uri("https://idp.example.com/revoke"),
                    AuthorizationResponseIssParameterSupported = true,
                });
        }
    }
}
