using Integrations.Core.Identity.Users;

namespace Integrations.Azure.Tests.Identity.Users;

/// <summary>
/// What the session cleanup job removes on Azurite (it calls these two store methods with its cutoffs): refresh-token rows
/// issued before a cutoff, and sessions that expired or were revoked before one — never a session still in use.
/// </summary>
public sealed class SessionCleanupTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    [Fact]
    public async Task DeleteIssuedBefore_RemovesOnlyOldTokenRows_AndTheCurrentTokenStillRefreshes()
    {
        await using var hub = await UserHub.StartAsync();
        await hub.SignUpAsync("tess@example.com");
        var first = await hub.LoginAsync("tess@example.com");
        var second = (await hub.Users.RefreshAsync(first.RefreshToken)).Value!;
        hub.Time.Advance(TimeSpan.FromDays(20));
        var third = (await hub.Users.RefreshAsync(second.RefreshToken)).Value!;
        hub.Time.Advance(TimeSpan.FromDays(20));

        // Cut at 20 days ago: the login's and the first refresh's rows are older; the latest refresh's row is not.
        var removed = await hub.Services.Get<IRefreshTokenStore>().DeleteIssuedBeforeAsync(hub.Time.GetUtcNow() - TimeSpan.FromDays(20) - TimeSpan.FromSeconds(1));
        var old = await hub.Users.RefreshAsync(first.RefreshToken); // its row is gone: unknown, not reuse (which would end the session)
        var refreshed = await hub.Users.RefreshAsync(third.RefreshToken);

        Assert.Equal(2, removed);
        Assert.True(refreshed.IsSuccess, refreshed.Error?.Code);
        Assert.Equal(UserErrors.InvalidRefreshToken, old.Error?.Code);
        Assert.Equal(0, await hub.Services.Get<IRefreshTokenStore>().DeleteIssuedBeforeAsync(hub.Time.GetUtcNow() - Lifetime));
    }

    [Fact]
    public async Task DeleteEndedSessions_RemovesExpiredAndRevokedSessions_KeepsLiveOnes()
    {
        await using var hub = await UserHub.StartAsync();
        var user = await hub.SignUpAsync("uma@example.com");
        var idle = await hub.LoginAsync("uma@example.com");
        var loggedOut = await hub.LoginAsync("uma@example.com");
        var active = await hub.LoginAsync("uma@example.com");
        await hub.Users.LogoutAsync(user.Id, loggedOut.SessionId);
        hub.Time.Advance(Lifetime - TimeSpan.FromDays(1));
        var kept = (await hub.Users.RefreshAsync(active.RefreshToken)).Value!; // its expiry moves a lifetime on
        hub.Time.Advance(TimeSpan.FromDays(3));

        var removed = await hub.Store.DeleteEndedSessionsAsync(hub.Time.GetUtcNow() - TimeSpan.FromDays(1));

        Assert.Equal(2, removed); // the idle one (expired two days ago) and the logged-out one
        var left = await hub.Store.ListSessionsAsync(user.Id);
        Assert.Equal(active.SessionId, Assert.Single(left).Id);
        Assert.Null(await hub.Store.GetSessionAsync(user.Id, idle.SessionId));
        Assert.True((await hub.Users.RefreshAsync(kept.RefreshToken)).IsSuccess);
    }
}
