using Integrations.Core.Connections;
using Integrations.Core.OAuth.Tokens;
using Integrations.Core.Vault;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Core.Tests.Connections;

public sealed class ConnectionCacheTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly SecretChanges _secrets = new();

    [Fact]
    public void TryGetConnection_WithinTheDuration_ReturnsTheCachedConnection_AndAfterItNothing()
    {
        var cache = Cache(TimeSpan.FromSeconds(5));
        var connection = Connection("org_a", "prj_a", "con_1");
        cache.SetConnection(connection, cache.Epoch);

        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.True(cache.TryGetConnection("org_a", "prj_a", "con_1", out var hit));
        Assert.Same(connection, hit);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.False(cache.TryGetConnection("org_a", "prj_a", "con_1", out _));
    }

    [Fact]
    public void TryGetToken_NeverServesATokenAtOrPastItsRefreshPoint_EvenWithinTheDuration()
    {
        var cache = Cache(TimeSpan.FromMinutes(5));
        var connection = Connection("org_a", "prj_a", "con_1");
        cache.SetToken(connection, Token(expiresAt: Start.AddSeconds(60)), refreshAt: Start.AddSeconds(30), cache.Epoch);

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(cache.TryGetToken(connection, out _));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.TryGetToken(connection, out _));
    }

    [Fact]
    public void SetToken_ExpiryBeforeTheRefreshPoint_TheExpiryBounds()
    {
        var cache = Cache(TimeSpan.FromMinutes(5));
        var connection = Connection("org_a", "prj_a", "con_1");
        cache.SetToken(connection, Token(expiresAt: Start.AddSeconds(10)), refreshAt: Start.AddSeconds(30), cache.Epoch);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(cache.TryGetToken(connection, out _));
    }

    [Fact]
    public void SetToken_AlreadyDue_StoresNothing()
    {
        var cache = Cache(TimeSpan.FromMinutes(5));
        var connection = Connection("org_a", "prj_a", "con_1");
        cache.SetToken(connection, Token(expiresAt: Start.AddSeconds(60)), refreshAt: Start, cache.Epoch);

        Assert.False(cache.TryGetToken(connection, out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Invalidate_ForgetsConnectionTokenAndCredential_OfThatConnectionOnly()
    {
        var cache = Cache(TimeSpan.FromMinutes(1));
        var one = Connection("org_a", "prj_a", "con_1");
        var two = Connection("org_a", "prj_a", "con_2");
        Fill(cache, one);
        Fill(cache, two);

        cache.Invalidate("org_a", "prj_a", "con_1");

        Assert.False(cache.TryGetConnection("org_a", "prj_a", "con_1", out _));
        Assert.False(cache.TryGetToken(one, out _));
        Assert.False(cache.TryGetCredential(one, out _));
        Assert.True(cache.TryGetConnection("org_a", "prj_a", "con_2", out _));
        Assert.True(cache.TryGetToken(two, out _));
        Assert.True(cache.TryGetCredential(two, out _));
    }

    [Fact]
    public void Set_AfterAnInvalidationThatFollowedTheRead_StoresNothing()
    {
        var cache = Cache(TimeSpan.FromMinutes(1));
        var connection = Connection("org_a", "prj_a", "con_1");
        var epoch = cache.Epoch; // taken before the (slow) storage read …

        cache.Invalidate("org_a", "prj_a", "con_1"); // … which a change on this instance overtook.
        cache.SetConnection(connection, epoch);
        cache.SetToken(connection, Token(Start.AddHours(1)), Start.AddMinutes(30), epoch);
        cache.SetCredential(connection, Credential(), epoch);

        Assert.False(cache.TryGetConnection("org_a", "prj_a", "con_1", out _));
        Assert.False(cache.TryGetToken(connection, out _));
        Assert.False(cache.TryGetCredential(connection, out _));
    }

    [Fact]
    public void SecretChanged_ForgetsEveryConnectionOfThatProject_AndNoOther()
    {
        var cache = Cache(TimeSpan.FromMinutes(1));
        var same = Connection("org_a", "prj_a", "con_1");
        var otherProject = Connection("org_a", "prj_b", "con_1");
        var otherTenant = Connection("org_b", "prj_a", "con_1");
        Fill(cache, same);
        Fill(cache, otherProject);
        Fill(cache, otherTenant);

        _secrets.Changed(new SecretLocation("org_a", "prj_a", "token"));

        Assert.False(cache.TryGetCredential(same, out _));
        Assert.False(cache.TryGetToken(same, out _));
        Assert.True(cache.TryGetCredential(otherProject, out _));
        Assert.True(cache.TryGetCredential(otherTenant, out _));
    }

    [Fact]
    public void Entries_AreKeyedByTenantAndProject_TheSameIdElsewhereIsAMiss()
    {
        var cache = Cache(TimeSpan.FromMinutes(1));
        Fill(cache, Connection("org_a", "prj_a", "con_1"));

        Assert.False(cache.TryGetConnection("org_b", "prj_a", "con_1", out _));
        Assert.False(cache.TryGetConnection("org_a", "prj_b", "con_1", out _));
        Assert.False(cache.TryGetToken(Connection("org_b", "prj_a", "con_1"), out _));
        Assert.False(cache.TryGetCredential(Connection("org_a", "prj_b", "con_1"), out _));
        Assert.True(cache.TryGetConnection("org_a", "prj_a", "con_1", out _));
    }

    [Fact]
    public void Set_AtTheSizeBound_DropsExpiredEntriesFirst_ThenEverything_NeverExceedingIt()
    {
        var cache = Cache(TimeSpan.FromSeconds(10), size: 3);
        cache.SetConnection(Connection("org_a", "prj_a", "con_old"), cache.Epoch);
        _time.Advance(TimeSpan.FromSeconds(11));
        cache.SetConnection(Connection("org_a", "prj_a", "con_1"), cache.Epoch);
        cache.SetConnection(Connection("org_a", "prj_a", "con_2"), cache.Epoch);

        cache.SetConnection(Connection("org_a", "prj_a", "con_3"), cache.Epoch); // room made by dropping the expired one
        Assert.Equal(3, cache.Count);
        Assert.True(cache.TryGetConnection("org_a", "prj_a", "con_1", out _));

        cache.SetConnection(Connection("org_a", "prj_a", "con_4"), cache.Epoch); // none expired: emptied
        Assert.True(cache.Count <= 3);
        Assert.True(cache.TryGetConnection("org_a", "prj_a", "con_4", out _));
    }

    [Fact]
    public void EvictToken_ForgetsTheTokenOnly()
    {
        var cache = Cache(TimeSpan.FromMinutes(1));
        var connection = Connection("org_a", "prj_a", "con_1");
        Fill(cache, connection);

        cache.EvictToken(connection);

        Assert.False(cache.TryGetToken(connection, out _));
        Assert.True(cache.TryGetConnection("org_a", "prj_a", "con_1", out _));
        Assert.True(cache.TryGetCredential(connection, out _));
    }

    [Fact]
    public void ZeroDuration_DisablesTheCache()
    {
        var cache = Cache(TimeSpan.Zero);
        var connection = Connection("org_a", "prj_a", "con_1");
        Fill(cache, connection);

        Assert.False(cache.Enabled);
        Assert.Equal(0, cache.Count);
        Assert.False(cache.TryGetConnection("org_a", "prj_a", "con_1", out _));
    }

    private ConnectionCache Cache(TimeSpan duration, int size = 100) =>
        new(Options.Create(new ConnectionCacheOptions { CacheDuration = duration, CacheSize = size }), _time, NullLogger<ConnectionCache>.Instance, _secrets);

    private static void Fill(ConnectionCache cache, Connection connection)
    {
        cache.SetConnection(connection, cache.Epoch);
        cache.SetToken(connection, Token(Start.AddHours(1)), Start.AddMinutes(30), cache.Epoch);
        cache.SetCredential(connection, Credential(), cache.Epoch);
    }

    private static AccessToken Token(DateTimeOffset expiresAt) => new("access-token-value", "Bearer", expiresAt, ["api"]);

    private static InjectedCredential Credential() => new(CredentialTarget.Header, "Authorization", "Bearer static-value");

    private static Connection Connection(string organizationId, string projectId, string id) => new()
    {
        Id = id, OrganizationId = organizationId, ProjectId = projectId, Name = "n-" + id, Type = ConnectionType.Bearer,
        CreatedBy = "test", CreatedAt = Start, UpdatedAt = Start,
    };
}
