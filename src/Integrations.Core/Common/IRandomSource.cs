namespace Integrations.Core.Common;

/// <summary>
/// Randomness that is not a secret: retry jitter, spreading contending writers apart, sampling, correlation GUIDs.
/// Injected (like <see cref="TimeProvider"/>) so that a test can make it predictable; <c>Random.Shared</c>,
/// <c>new Random()</c> and <c>Guid.NewGuid()</c> are banned elsewhere (BannedSymbols.txt).
/// Never for keys, nonces, tokens or ids: those come from <c>RandomNumberGenerator</c> (see <see cref="Ids.New"/>).
/// </summary>
public interface IRandomSource
{
    /// <summary>A random integer with <paramref name="minValue"/> ≤ n &lt; <paramref name="maxValue"/>.</summary>
    int Next(int minValue, int maxValue);

    /// <summary>A random number with 0 ≤ n &lt; 1 (for example a jitter factor).</summary>
    double NextDouble();

    /// <summary>A new random (version 4) GUID.</summary>
    Guid NewGuid();
}
