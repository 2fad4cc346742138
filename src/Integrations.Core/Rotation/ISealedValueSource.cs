using Integrations.Core.Common;
using Integrations.Core.Crypto;

namespace Integrations.Core.Rotation;

/// <summary>A store holding sealed values. Key rotation re-wraps the data keys of every registered source.</summary>
public interface ISealedValueSource
{
    /// <summary>How many values are wrapped by any of <paramref name="kekIds"/>.</summary>
    Task<long> CountAsync(IReadOnlyCollection<string> kekIds, CancellationToken cancellationToken = default);

    /// <summary>The values wrapped by any of <paramref name="kekIds"/>.</summary>
    IAsyncEnumerable<SealedValueRow> ListAsync(IReadOnlyCollection<string> kekIds, CancellationToken cancellationToken = default);

    /// <summary>Replaces a value with its re-wrapped form if the row is unchanged since it was read.</summary>
    Task<WriteOutcome> TryReplaceAsync(SealedValueRow row, SealedSecret rewrapped, CancellationToken cancellationToken = default);
}
