namespace Integrations.Core.Connections;

/// <summary>
/// The names of the retry strategies outbound calls know. The strategies themselves live in
/// <c>Integrations.Http/Resilience/RetryStrategies</c>, which Core cannot reference: the shells, which compose both,
/// register a <see cref="RetryStrategyCatalog"/> built from that one list, so the names are never copied.
/// </summary>
public interface IRetryStrategyCatalog
{
    IReadOnlyCollection<string> Names { get; }
}

/// <summary>A fixed set of strategy names (ordinal: names are codes).</summary>
public sealed class RetryStrategyCatalog(IEnumerable<string> names) : IRetryStrategyCatalog
{
    private readonly HashSet<string> _names = new(names, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _names;
}
