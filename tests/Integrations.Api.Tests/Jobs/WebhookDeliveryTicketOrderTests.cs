using Integrations.Api.Jobs;
using Integrations.Core.OutboundWebhooks;

namespace Integrations.Api.Tests.Jobs;

/// <summary>
/// A retry ticket is queued before the attempt that queued it is recorded; these pin down what the ticket does when it
/// comes up first (waits), when it is the next attempt (sends), and when it is a stray (does nothing).
/// </summary>
public sealed class WebhookDeliveryTicketOrderTests
{
    private static readonly DateTimeOffset Due = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void IsAwaitingItsRecord_RowOneAttemptBehindSoonAfterDue_Waits()
    {
        var row = Row(attempts: 0, DeliveryState.Pending, next: null);

        Assert.True(WebhookDeliveryJob.IsAwaitingItsRecord(row, Ticket(attempt: 2), Due.AddSeconds(1)));
        Assert.False(WebhookDeliveryJob.IsNext(row, Ticket(attempt: 2)));
    }

    [Fact]
    public void IsAwaitingItsRecord_PastTheGrace_GivesUpBecauseThePreviousAttemptComesBackItself()
    {
        var row = Row(attempts: 0, DeliveryState.Pending, next: null);

        Assert.False(WebhookDeliveryJob.IsAwaitingItsRecord(row, Ticket(attempt: 2), Due + WebhookDeliveryJob.RecordGrace));
    }

    [Fact]
    public void IsAwaitingItsRecord_RecordedRow_IsTheNextAttemptNotAWait()
    {
        var row = Row(attempts: 1, DeliveryState.Retrying, next: Due);

        Assert.False(WebhookDeliveryJob.IsAwaitingItsRecord(row, Ticket(attempt: 2), Due));
        Assert.True(WebhookDeliveryJob.IsNext(row, Ticket(attempt: 2)));
    }

    [Theory]
    [InlineData(DeliveryState.Delivered)]
    [InlineData(DeliveryState.Failed)]
    public void IsAwaitingItsRecord_FinishedDelivery_NeverWaits(DeliveryState state)
    {
        Assert.False(WebhookDeliveryJob.IsAwaitingItsRecord(Row(attempts: 0, state, next: null), Ticket(attempt: 2), Due));
    }

    [Fact]
    public void IsAwaitingItsRecord_RowTwoAttemptsBehind_IsAStray()
    {
        Assert.False(WebhookDeliveryJob.IsAwaitingItsRecord(Row(attempts: 0, DeliveryState.Retrying, next: Due), Ticket(attempt: 3), Due));
    }

    private static DeliveryTicket Ticket(int attempt) =>
        new("org_x", "prj_x", "msg_aaaaaaaaaaaaaaaaaaaa", "wep_aaaaaaaaaaaaaaaaaaaa", attempt, "invoice.paid", Due.AddMinutes(-1), "{}", Due);

    private static WebhookDelivery Row(int attempts, DeliveryState state, DateTimeOffset? next) =>
        new("org_x", "prj_x", "msg_aaaaaaaaaaaaaaaaaaaa", "wep_aaaaaaaaaaaaaaaaaaaa", "invoice.paid", state, attempts, next, null, null, null, Due.AddMinutes(-1), Due.AddMinutes(-1));
}
