using System.Text;
using System.Text.Json;
using Integrations.Core.Common;
using Integrations.Core.Events;
using Integrations.Core.OutboundWebhooks;
using Integrations.Core.Webhooks;

namespace Integrations.Core.Tests.OutboundWebhooks;

/// <summary>What the hub's own messages look like: ids derived from what they publish, payloads, event types.</summary>
public sealed class HubMessagesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void MessageIds_SameEvent_SameMessageIdOfTheMessageShape()
    {
        var first = MessageIds.ForOutboxEvent("evt_aaaaaaaaaaaaaaaaaaaa");

        Assert.Equal(first, MessageIds.ForOutboxEvent("evt_aaaaaaaaaaaaaaaaaaaa"));
        Assert.True(Ids.IsValid(OutboundMessage.IdPrefix, first));
        Assert.NotEqual(first, MessageIds.ForOutboxEvent("evt_baaaaaaaaaaaaaaaaaaa"));
    }

    [Fact]
    public void MessageIds_SameIdFromOutboxAndInbound_DifferentMessages() =>
        Assert.NotEqual(MessageIds.ForOutboxEvent("x_1"), MessageIds.ForInboundEvent("x_1"));

    [Fact]
    public void OutboxPayload_HasIdTypeSubjectTimeAndData()
    {
        var hubEvent = new HubEvent("evt_aaaaaaaaaaaaaaaaaaaa", "org_x", "prj_x", HubEventTypes.ConnectionNeedsReauth, At, "connection/con_x",
            new Dictionary<string, string> { ["reason"] = "invalid_grant" });

        using var payload = JsonDocument.Parse(OutboxMessagePublisher.PayloadOf(hubEvent));

        var root = payload.RootElement;
        Assert.Equal("evt_aaaaaaaaaaaaaaaaaaaa", root.GetProperty("id").GetString());
        Assert.Equal("connection.needs_reauth", root.GetProperty("type").GetString());
        Assert.Equal("connection/con_x", root.GetProperty("subject").GetString());
        Assert.Equal(At, root.GetProperty("occurred_at").GetDateTimeOffset());
        Assert.Equal("invalid_grant", root.GetProperty("data").GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("stripe", "invoice.paid", "inbound.stripe.invoice.paid")]
    [InlineData("stripe", null, "inbound.stripe.event")]
    [InlineData("stripe", "", "inbound.stripe.event")]
    [InlineData("shop", "orders/create", "inbound.shop.orders_create")]
    [InlineData("shop", "x.*", "inbound.shop.x._")]
    public void InboundEventType_IsInboundSourceAndTypeMadeValid(string source, string? type, string expected) =>
        Assert.Equal(expected, InboundMessagePublisher.EventTypeOf(source, type));

    [Fact]
    public void InboundPayload_JsonBody_EmbeddedAsJson()
    {
        var body = """{"id":"evt_1","amount":1.50e2}"""u8.ToArray();

        using var payload = JsonDocument.Parse(InboundMessagePublisher.PayloadOf(Event(body.Length), body, 4096));

        var root = payload.RootElement;
        Assert.Equal("whe_aaaaaaaaaaaaaaaaaaaa", root.GetProperty("event_id").GetString());
        Assert.Equal("whs_aaaaaaaaaaaaaaaaaaaa", root.GetProperty("source_id").GetString());
        Assert.Equal("p-1", root.GetProperty("provider_event_id").GetString());
        Assert.Equal(At, root.GetProperty("received_at").GetDateTimeOffset());
        Assert.Equal("""{"id":"evt_1","amount":1.50e2}""", root.GetProperty("body").GetRawText());
        Assert.False(root.TryGetProperty("body_base64", out _));
    }

    [Theory]
    [InlineData("a=1&b=2")]
    [InlineData("{\"a\":1} trailing")]
    [InlineData("")]
    public void InboundPayload_BodyNotJson_Base64(string text)
    {
        var body = Encoding.UTF8.GetBytes(text);

        using var payload = JsonDocument.Parse(InboundMessagePublisher.PayloadOf(Event(body.Length), body, 4096));

        Assert.Equal(body, payload.RootElement.GetProperty("body_base64").GetBytesFromBase64());
        Assert.False(payload.RootElement.TryGetProperty("body", out _));
    }

    [Fact]
    public void InboundPayload_BodyPastTheLimit_Omitted()
    {
        var body = Encoding.UTF8.GetBytes("{\"big\":\"" + new string('x', 5000) + "\"}");

        var bytes = InboundMessagePublisher.PayloadOf(Event(body.Length), body, 4096);
        using var payload = JsonDocument.Parse(bytes);

        Assert.True(bytes.Length <= 4096);
        Assert.True(payload.RootElement.GetProperty("body_omitted").GetBoolean());
        Assert.Equal(body.Length, payload.RootElement.GetProperty("body_length").GetInt32());
    }

    [Fact]
    public void TicketJson_ReadWithWebDefaults_IsTheDeliveryTicket()
    {
        var message = Message("""{"a":"<b>"}""");

        var ticket = JsonSerializer.Deserialize<DeliveryTicket>(OutboundMessageService.TicketJson(message, "wep_bbbbbbbbbbbbbbbbbbbb", 3, """{"a":"<b>"}"""),
            JsonSerializerOptions.Web)!;

        Assert.Equal(new DeliveryTicket("org_x", "prj_x", message.Id, "wep_bbbbbbbbbbbbbbbbbbbb", 3, "invoice.paid", At, """{"a":"<b>"}"""), ticket);
    }

    [Fact]
    public void TicketJson_PayloadOverTheInlineLimit_RidesWithout()
    {
        var text = "\"" + new string('x', DeliveryTicket.MaxInlinePayloadChars) + "\"";

        var ticket = JsonSerializer.Deserialize<DeliveryTicket>(OutboundMessageService.TicketJson(Message(text), "wep_b", 1, text), JsonSerializerOptions.Web)!;

        Assert.Null(ticket.Payload);
    }

    [Fact]
    public void TicketJson_PayloadWithinCharsButTooBigEscaped_RidesWithoutAndFitsAQueueMessage()
    {
        // 30 K characters that JSON escapes to six each: the ticket would not fit a queue message.
        var text = "\"" + new string('<', 30 * 1024) + "\"";

        var json = OutboundMessageService.TicketJson(Message(text), "wep_b", 1, text);

        Assert.True(json.Length <= OutboundMessageService.MaxTicketChars);
        Assert.Null(JsonSerializer.Deserialize<DeliveryTicket>(json, JsonSerializerOptions.Web)!.Payload);
    }

    [Fact]
    public async Task EventWriter_AppendedEvent_ListenerToldAfterTheOutboxHasIt()
    {
        var outbox = new RecordingOutbox();
        var listener = new RecordingListener(outbox);
        var writer = new EventWriter(outbox, TimeProvider.System, [listener]);

        var written = await writer.AppendAsync("org_x", "prj_x", HubEventTypes.ConnectionCreated, "connection/con_x");
        await writer.AppendAsync(written);

        Assert.Equal([written.Id, written.Id], listener.Seen);
        Assert.Equal([1, 2], listener.OutboxCountWhenTold);
    }

    private static WebhookEvent Event(long length) => new("whe_aaaaaaaaaaaaaaaaaaaa", "org_x", "prj_x", "whs_aaaaaaaaaaaaaaaaaaaa", "standard", "p-1", "invoice.paid", At,
        new Dictionary<string, string>(), length);

    private static OutboundMessage Message(string payload) =>
        new("msg_aaaaaaaaaaaaaaaaaaaa", "org_x", "prj_x", "invoice.paid", Encoding.UTF8.GetBytes(payload), null, MessageOrigins.Api, At);

    private sealed class RecordingOutbox : IEventOutbox
    {
        public List<HubEvent> Events { get; } = [];

        public Task AppendAsync(HubEvent hubEvent, CancellationToken cancellationToken = default)
        {
            Events.Add(hubEvent);
            return Task.CompletedTask;
        }

        public Task<PagedList<HubEvent>> ListAsync(string organizationId, string projectId, ActivityQuery query, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }

    private sealed class RecordingListener(RecordingOutbox outbox) : IHubEventListener
    {
        public List<string> Seen { get; } = [];

        public List<int> OutboxCountWhenTold { get; } = [];

        public Task<bool> OnAppendedAsync(HubEvent hubEvent, CancellationToken cancellationToken = default)
        {
            Seen.Add(hubEvent.Id);
            OutboxCountWhenTold.Add(outbox.Events.Count);
            return Task.FromResult(true);
        }
    }
}
