namespace Integrations.Core.Common;

/// <summary>The runtime's shared, thread-safe generator behind <see cref="IRandomSource"/>; the default registration.</summary>
public sealed class SystemRandomSource : IRandomSource
{
    /// <summary>The one instance; it holds no state of its own.</summary>
    public static SystemRandomSource Instance { get; } = new();

    // RS0030: this class is the one place that may take randomness from the runtime; everything else receives IRandomSource.
#pragma warning disable RS0030
    public int Next(int minValue, int maxValue) => Random.Shared.Next(minValue, maxValue);

    public double NextDouble() => Random.Shared.NextDouble();

    public Guid NewGuid() => Guid.NewGuid();
#pragma warning restore RS0030
}
