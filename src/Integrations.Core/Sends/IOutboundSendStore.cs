using Integrations.Core.Common;

namespace Integrations.Core.Sends;

/// <summary>Where direct sends are kept: one row per send, its attempts with it. Every update is conditional on the ETag.</summary>
public interface IOutboundSendStore
{
    /// <summary>Adds a new send; <see cref="WriteOutcome.Conflict"/> if the id exists.</summary>
    Task<WriteOutcome> TryCreateAsync(OutboundSend send, CancellationToken cancellationToken = default);

    /// <summary>The send, or null when it does not exist in that project.</summary>
    Task<OutboundSend?> GetAsync(string organizationId, string projectId, string sendId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the send if its ETag still matches (<see cref="WriteOutcome.Conflict"/> otherwise; <see cref="WriteOutcome.NotFound"/> if gone).</summary>
    Task<WriteOutcome> TryUpdateAsync(OutboundSend send, CancellationToken cancellationToken = default);

    /// <summary>Deletes every send (of any tenant) created before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> DeleteCreatedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
