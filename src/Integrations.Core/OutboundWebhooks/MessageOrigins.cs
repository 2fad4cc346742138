namespace Integrations.Core.OutboundWebhooks;

/// <summary>Where an <see cref="OutboundMessage"/> came from (<see cref="OutboundMessage.Origin"/>).</summary>
public static class MessageOrigins
{
    /// <summary>Sent by a caller with <c>POST …/messages</c>.</summary>
    public const string Api = "api";

    /// <summary>Published by the hub from a project's activity outbox (<c>connection.*</c>, <c>secret.*</c> …).</summary>
    public const string Outbox = "outbox";

    /// <summary>Published by the hub for a verified inbound webhook event (<c>inbound.{source}.{type}</c>).</summary>
    public const string Inbound = "inbound";
}
