using Integrations.Core.Connections;
using Integrations.Core.Events;

namespace Integrations.Core.Tests.Connections;

public sealed class ConnectionStatusMachineTests
{
    /// <summary>The state machine, written out independently of the table under test.</summary>
    public static TheoryData<ConnectionStatus, ConnectionStatus, string> Allowed => new()
    {
        { ConnectionStatus.Pending, ConnectionStatus.Active, HubEventTypes.ConnectionConnected },
        { ConnectionStatus.Pending, ConnectionStatus.ScopesInsufficient, HubEventTypes.ConnectionScopesInsufficient },
        { ConnectionStatus.Pending, ConnectionStatus.ClientSecretExpired, HubEventTypes.ConnectionClientSecretExpired },
        { ConnectionStatus.Pending, ConnectionStatus.Disabled, HubEventTypes.ConnectionDisabled },
        { ConnectionStatus.Active, ConnectionStatus.RefreshFailing, HubEventTypes.ConnectionRefreshFailed },
        { ConnectionStatus.Active, ConnectionStatus.NeedsReauth, HubEventTypes.ConnectionNeedsReauth },
        { ConnectionStatus.Active, ConnectionStatus.Revoked, HubEventTypes.ConnectionRevoked },
        { ConnectionStatus.Active, ConnectionStatus.Disabled, HubEventTypes.ConnectionDisabled },
        { ConnectionStatus.Active, ConnectionStatus.ClientSecretExpired, HubEventTypes.ConnectionClientSecretExpired },
        { ConnectionStatus.Active, ConnectionStatus.ScopesInsufficient, HubEventTypes.ConnectionScopesInsufficient },
        { ConnectionStatus.RefreshFailing, ConnectionStatus.Active, HubEventTypes.ConnectionRefreshRecovered },
        { ConnectionStatus.RefreshFailing, ConnectionStatus.NeedsReauth, HubEventTypes.ConnectionNeedsReauth },
        { ConnectionStatus.RefreshFailing, ConnectionStatus.Revoked, HubEventTypes.ConnectionRevoked },
        { ConnectionStatus.RefreshFailing, ConnectionStatus.Disabled, HubEventTypes.ConnectionDisabled },
        { ConnectionStatus.RefreshFailing, ConnectionStatus.ClientSecretExpired, HubEventTypes.ConnectionClientSecretExpired },
        { ConnectionStatus.NeedsReauth, ConnectionStatus.Active, HubEventTypes.ConnectionConnected },
        { ConnectionStatus.NeedsReauth, ConnectionStatus.ScopesInsufficient, HubEventTypes.ConnectionScopesInsufficient },
        { ConnectionStatus.NeedsReauth, ConnectionStatus.Revoked, HubEventTypes.ConnectionRevoked },
        { ConnectionStatus.NeedsReauth, ConnectionStatus.Disabled, HubEventTypes.ConnectionDisabled },
        { ConnectionStatus.NeedsReauth, ConnectionStatus.ClientSecretExpired, HubEventTypes.ConnectionClientSecretExpired },
        { ConnectionStatus.Revoked, ConnectionStatus.Active, HubEventTypes.ConnectionConnected },
        { ConnectionStatus.Revoked, ConnectionStatus.ScopesInsufficient, HubEventTypes.ConnectionScopesInsufficient },
        { ConnectionStatus.Revoked, ConnectionStatus.Disabled, HubEventTypes.ConnectionDisabled },
        { ConnectionStatus.Disabled, ConnectionStatus.Active, HubEventTypes.ConnectionEnabled },
        { ConnectionStatus.Disabled, ConnectionStatus.Pending, HubEventTypes.ConnectionEnabled },
        { ConnectionStatus.ClientSecretExpired, ConnectionStatus.Active, HubEventTypes.ConnectionConnected },
        { ConnectionStatus.ClientSecretExpired, ConnectionStatus.NeedsReauth, HubEventTypes.ConnectionNeedsReauth },
        { ConnectionStatus.ClientSecretExpired, ConnectionStatus.Revoked, HubEventTypes.ConnectionRevoked },
        { ConnectionStatus.ClientSecretExpired, ConnectionStatus.Disabled, HubEventTypes.ConnectionDisabled },
        { ConnectionStatus.ScopesInsufficient, ConnectionStatus.Active, HubEventTypes.ConnectionConnected },
        { ConnectionStatus.ScopesInsufficient, ConnectionStatus.RefreshFailing, HubEventTypes.ConnectionRefreshFailed },
        { ConnectionStatus.ScopesInsufficient, ConnectionStatus.NeedsReauth, HubEventTypes.ConnectionNeedsReauth },
        { ConnectionStatus.ScopesInsufficient, ConnectionStatus.Revoked, HubEventTypes.ConnectionRevoked },
        { ConnectionStatus.ScopesInsufficient, ConnectionStatus.Disabled, HubEventTypes.ConnectionDisabled },
        { ConnectionStatus.ScopesInsufficient, ConnectionStatus.ClientSecretExpired, HubEventTypes.ConnectionClientSecretExpired },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void EventFor_AllowedTransition_NamesItsEvent(ConnectionStatus from, ConnectionStatus to, string eventType)
    {
        Assert.True(ConnectionStatusMachine.CanMove(from, to));
        Assert.Equal(eventType, ConnectionStatusMachine.EventFor(from, to));
    }

    [Fact]
    public void Transitions_AreExactlyTheAllowedOnes()
    {
        var expected = Allowed.Select(row => ((ConnectionStatus)row[0], (ConnectionStatus)row[1])).ToHashSet();

        var table = ConnectionStatusMachine.Transitions.Select(t => (t.From, t.To)).ToList();

        Assert.Equal(table.Count, table.Distinct().Count());
        Assert.True(expected.SetEquals(table));
    }

    [Theory]
    [InlineData(ConnectionStatus.Pending, ConnectionStatus.Revoked)]
    [InlineData(ConnectionStatus.Pending, ConnectionStatus.RefreshFailing)]
    [InlineData(ConnectionStatus.Pending, ConnectionStatus.NeedsReauth)]
    [InlineData(ConnectionStatus.Active, ConnectionStatus.Pending)]
    [InlineData(ConnectionStatus.Revoked, ConnectionStatus.RefreshFailing)]
    [InlineData(ConnectionStatus.Revoked, ConnectionStatus.Pending)]
    [InlineData(ConnectionStatus.Disabled, ConnectionStatus.RefreshFailing)]
    [InlineData(ConnectionStatus.Disabled, ConnectionStatus.NeedsReauth)]
    [InlineData(ConnectionStatus.Disabled, ConnectionStatus.Revoked)]
    [InlineData(ConnectionStatus.NeedsReauth, ConnectionStatus.RefreshFailing)]
    [InlineData(ConnectionStatus.Active, ConnectionStatus.Active)]
    public void CanMove_TransitionOutsideTheTable_IsRefused(ConnectionStatus from, ConnectionStatus to)
    {
        Assert.False(ConnectionStatusMachine.CanMove(from, to));
        Assert.Null(ConnectionStatusMachine.EventFor(from, to));
    }

    [Fact]
    public void EveryStatus_CanBeLeft_AndEveryStatusButPendingReached()
    {
        var statuses = Enum.GetValues<ConnectionStatus>();

        Assert.All(statuses, s => Assert.Contains(ConnectionStatusMachine.Transitions, t => t.From == s));
        Assert.All(statuses.Where(s => s != ConnectionStatus.Pending), s => Assert.Contains(ConnectionStatusMachine.Transitions, t => t.To == s));
        Assert.All(ConnectionStatusMachine.Transitions, t => Assert.True(HubEventTypes.IsKnown(t.Event)));
    }
}
