using Azure.Data.Tables;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Identity.Users;

namespace Integrations.Azure.Tests.Identity.Users;

/// <summary>
/// What the session cleanup job removes on Azurite (it calls the store with its cutoff): sessions that expired or were
/// revoked before it — never a session still in use; and that refreshes leave nothing else to remove.
/// </summary>
public sealed class SessionCleanupTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    [Fact]
    public async Task Refreshes_LeaveNoRowsBehind_OnlyTheUserTheSessionAndTheMembership()
    {
        await using var hub = await UserHub.StartAsync();
        var user = await hub.SignUpAsync("tess@example.com");
        var tokens = await hub.LoginAsync("tess@example.com");
        for (var i = 0; i < 5; i++)
        {
            tokens = (await hub.Users.RefreshAsync(tokens.RefreshToken)).Value!;
        }

        var users = new TableClient(hub.Services.ConnectionString, hub.Services.Prefix + "users");
        var rowKeys = new List<string>();
        await foreach (var row in users.QueryAsync<TableEntity>(e => e.PartitionKey == user.Id, select: ["RowKey"]))
        {
            rowKeys.Add(row.RowKey);
        }

        // Nothing per refresh token for the cleanup job to chase: each token names its session, which says which one is current.
        Assert.Equal(["m:" + UserOrganizations.PersonalOrganizationId(user.Id), "s:" + tokens.SessionId, "user"], rowKeys.Order(StringComparer.Ordinal));
        Assert.True((await hub.Users.RefreshAsync(tokens.RefreshToken)).IsSuccess);
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
