using Integrations.Core.Common;

namespace Integrations.Core.Identity.Recovery;

/// <summary>Storage of recovery tokens (authority rows: signed on write, verified on read; a row that fails is absent).</summary>
public interface IRecoveryTokenStore
{
    Task AddAsync(RecoveryTokenRecord record, CancellationToken cancellationToken = default);

    /// <summary>The token's record if its row exists and verifies, else null.</summary>
    Task<RecoveryTokenRecord?> FindAsync(string lookupHash, CancellationToken cancellationToken = default);

    /// <summary>Marks the token used, conditional on <see cref="RecoveryTokenRecord.ETag"/>: of two uses exactly one is <see cref="WriteOutcome.Written"/>.</summary>
    Task<WriteOutcome> MarkUsedAsync(RecoveryTokenRecord record, DateTimeOffset usedAt, CancellationToken cancellationToken = default);

    /// <summary>Removes every recovery token of the user (account deletion). The number removed.</summary>
    Task<int> DeleteForUserAsync(string userId, CancellationToken cancellationToken = default);
}
