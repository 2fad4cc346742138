using Integrations.Core.Sends;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Jobs;

/// <summary>Deletes direct sends (with their sealed requests and attempts) created longer ago than <c>Webhooks:SendRetention</c>: tables have no TTL.</summary>
public sealed class CleanupOutboundSendsJob(OutboundSendService sends, IOptions<WebhookOptions> options)
{
    public Task RunAsync(CancellationToken cancellationToken = default) => sends.DeleteExpiredAsync(options.Value.SendRetention, cancellationToken);
}
