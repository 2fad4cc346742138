using Azure.Data.Tables;

namespace Integrations.Azure.Tables;

/// <summary>The hub's tables. Each is designed for its queries; see the store that uses it.</summary>
public sealed class HubTables(TableServiceClient service, string prefix)
{
    public TableClient Secrets { get; } = service.GetTableClient(prefix + "secrets");

    public TableClient Keys { get; } = service.GetTableClient(prefix + "keys");

    public TableClient Tenancy { get; } = service.GetTableClient(prefix + "tenancy");

    public TableClient ApiKeys { get; } = service.GetTableClient(prefix + "apikeys");

    public TableClient Audit { get; } = service.GetTableClient(prefix + "audit");

    public TableClient AuditChain { get; } = service.GetTableClient(prefix + "auditchain");

    public TableClient Rotations { get; } = service.GetTableClient(prefix + "rotations");

    public TableClient JobFailures { get; } = service.GetTableClient(prefix + "jobfailures");

    /// <summary>OAuth states and start links (<see cref="TableOAuthStateStore"/>).</summary>
    public TableClient OAuthStates { get; } = service.GetTableClient(prefix + "oauthstates");

    public TableClient Connections { get; } = service.GetTableClient(prefix + "connections");

    /// <summary>The per-project event outbox (TableEventOutbox).</summary>
    public TableClient Events { get; } = service.GetTableClient(prefix + "events");

    public TableClient Providers { get; } = service.GetTableClient(prefix + "providers");

    /// <summary>The refresh-ahead index across tenants (<see cref="TableRefreshDueIndex"/>).</summary>
    public TableClient RefreshDue { get; } = service.GetTableClient(prefix + "refreshdue");

    /// <summary>Inbound webhook events, each also its delivery's idempotency key (<see cref="TableWebhookEventStore"/>).</summary>
    public TableClient WebhookEvents { get; } = service.GetTableClient(prefix + "webhookevents");

    /// <summary>Webhook sources and their indexes (<see cref="TableWebhookSourceStore"/>).</summary>
    public TableClient WebhookSources { get; } = service.GetTableClient(prefix + "webhooksources");

    /// <summary>Durable counters, one row per (key, hour, instance) (<see cref="TableCounterStore"/>).</summary>
    public TableClient Counters { get; } = service.GetTableClient(prefix + "counters");

    /// <summary>Outbound webhook endpoints (TableWebhookEndpointStore).</summary>
    public TableClient WebhookEndpoints { get; } = service.GetTableClient(prefix + "webhookendpoints");

    /// <summary>Outbound messages, their list entries, idempotency keys and deliveries with their attempts (<see cref="TableOutboundStore"/>).</summary>
    public TableClient WebhookMessages { get; } = service.GetTableClient(prefix + "webhookmessages");

    /// <summary>Direct sends and their attempts (TableOutboundSendStore).</summary>
    public TableClient OutboundSends { get; } = service.GetTableClient(prefix + "outboundsends");

    /// <summary>Users, their email claims and sessions (<see cref="TableUserStore"/>).</summary>
    public TableClient Users { get; } = service.GetTableClient(prefix + "users");


    /// <summary>Memberships: who belongs to which organization, with which role (<see cref="TableMembershipStore"/>).</summary>
    public TableClient Memberships { get; } = service.GetTableClient(prefix + "memberships");

    /// <summary>Email-verification and password-reset tokens by lookup hash (<see cref="TableRecoveryTokenStore"/>).</summary>
    public TableClient RecoveryTokens { get; } = service.GetTableClient(prefix + "recoverytokens");

    /// <summary>Organization invitations by token lookup hash, with an index by organization (<see cref="TableInvitationStore"/>).</summary>
    public TableClient Invitations { get; } = service.GetTableClient(prefix + "invitations");

    public IEnumerable<TableClient> All => [Secrets, Keys, Tenancy, ApiKeys, Audit, AuditChain, Rotations, JobFailures, OAuthStates, Connections, Events, Providers, RefreshDue, WebhookSources, WebhookEvents, Counters, WebhookEndpoints, WebhookMessages, OutboundSends, Users, Memberships, RecoveryTokens, Invitations];

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        foreach (var table in All)
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
