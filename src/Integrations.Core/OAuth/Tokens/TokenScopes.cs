namespace Integrations.Core.OAuth.Tokens;

/// <summary>Scope lists as providers send them: space-separated by RFC 6749 §3.3, comma-separated by some (GitHub, Slack …).</summary>
public static class TokenScopes
{
    private static readonly char[] Separators = [' ', ','];

    /// <summary>The distinct scopes of <paramref name="scope"/>, split on spaces and commas, in the order given.</summary>
    public static IReadOnlyList<string> Parse(string? scope) => string.IsNullOrWhiteSpace(scope)
        ? []
        : scope.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The scopes of <paramref name="wanted"/> that <paramref name="granted"/> lacks.</summary>
    public static IReadOnlyList<string> Missing(IEnumerable<string> wanted, IReadOnlyList<string> granted) =>
        wanted.Where(w => !granted.Contains(w, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToArray();
}
