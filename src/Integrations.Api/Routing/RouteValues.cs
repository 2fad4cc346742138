namespace Integrations.Api.Routing;

/// <summary>
/// A route's path values by parameter name. Both shells supply them in template order: the Server from ASP.NET Core's
/// route values, Functions from its trigger's bound parameters.
/// </summary>
public sealed class RouteValues
{
    private readonly IReadOnlyList<string> _names;
    private readonly IReadOnlyList<string> _values;

    public RouteValues(ApiRoute route, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != route.Parameters.Count)
        {
            throw new ArgumentException($"Route {route.Name} takes {route.Parameters.Count} path values ({string.Join(", ", route.Parameters)}), not {values.Count}.", nameof(values));
        }

        _names = route.Parameters;
        _values = values;
    }

    /// <summary>The value of <paramref name="name"/>, or null when the route has no such parameter.</summary>
    public string? this[string name]
    {
        get
        {
            for (var i = 0; i < _names.Count; i++)
            {
                if (string.Equals(_names[i], name, StringComparison.Ordinal))
                {
                    return _values[i];
                }
            }

            return null;
        }
    }

    /// <summary>The value of a parameter the route is known to have.</summary>
    public string Required(string name) => this[name] ?? throw new InvalidOperationException($"The route has no '{name}' parameter.");
}
