namespace Integrations.Core.Connections.Proxy;

/// <summary>
/// Evaluates a connection's <see cref="ProxyRule"/>s against a request's method and its normalised path (from
/// <see cref="ProxyPath.Resolve"/>, so dot segments and encodings cannot dodge a rule). Deny wins; when any allow rule
/// exists the policy is an allow-list; with no rules everything is allowed.
/// </summary>
/// <remarks>
/// Globs are split on <c>/</c>: <c>*</c> matches exactly one segment, <c>**</c> any number (zero included), anything
/// else is a literal segment compared with the decoded path segment. A trailing slash plays no part (<c>/users/</c>
/// is <c>/users</c>). Deny rules compare literals ignoring case and allow rules compare them exactly: some upstreams
/// (IIS, case-insensitive file systems) treat <c>/ADMIN</c> as <c>/admin</c>, so a deny must cover every casing while
/// an allow must not widen beyond what was written.
/// </remarks>
public static class ProxyPolicyEvaluator
{
    /// <summary>Decides <paramref name="method"/> on <paramref name="normalisedPath"/> under <paramref name="rules"/>.</summary>
    public static ProxyPolicyDecision Evaluate(IReadOnlyList<ProxyRule> rules, string method, string normalisedPath)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(normalisedPath);
        var path = Segments(normalisedPath);
        ProxyRule? allowed = null;
        var hasAllow = false;
        foreach (var rule in rules)
        {
            if (rule.Effect == ProxyRuleEffect.Deny)
            {
                if (Matches(rule, method, path, StringComparison.OrdinalIgnoreCase))
                {
                    return new ProxyPolicyDecision(false, rule);
                }

                continue;
            }

            hasAllow = true;
            if (allowed is null && Matches(rule, method, path, StringComparison.Ordinal))
            {
                allowed = rule;
            }
        }

        return allowed is not null ? new ProxyPolicyDecision(true, allowed) : new ProxyPolicyDecision(!hasAllow, null);
    }

    /// <summary>Null when <paramref name="glob"/> is usable as a rule's path; otherwise why not (for a 400 when a policy is written).</summary>
    public static string? ValidateGlob(string? glob)
    {
        if (string.IsNullOrWhiteSpace(glob) || glob[0] != '/')
        {
            return "A path glob starts with '/', e.g. /users/* or /admin/**.";
        }

        foreach (var segment in glob.Split('/').Skip(1))
        {
            if (segment is "." or ".." || segment.Contains('%', StringComparison.Ordinal) || segment.Contains('\\', StringComparison.Ordinal))
            {
                return "A path glob is written decoded, without '.', '..', '%' escapes or backslashes.";
            }

            if (segment != "*" && segment != "**" && segment.Contains('*', StringComparison.Ordinal))
            {
                return "'*' and '**' stand for whole segments only (write /files/* rather than /files/a*).";
            }
        }

        return null;
    }

    private static bool Matches(ProxyRule rule, string method, string[] path, StringComparison comparison) =>
        (rule.Methods.Count == 0 || rule.Methods.Any(allowed => string.Equals(allowed, method, StringComparison.OrdinalIgnoreCase)))
        && Glob(Segments(rule.PathGlob), path, comparison);

    private static string[] Segments(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Segment glob matching by dynamic programming: O(pattern × path), however many <c>**</c> a pattern has.</summary>
    private static bool Glob(string[] pattern, string[] path, StringComparison comparison)
    {
        // matches[j]: pattern[..i] matches path[..j].
        var matches = new bool[path.Length + 1];
        matches[0] = true;
        foreach (var token in pattern)
        {
            var next = new bool[path.Length + 1];
            for (var j = 0; j <= path.Length; j++)
            {
                next[j] = token switch
                {
                    "**" => matches[j] || (j > 0 && next[j - 1]),
                    "*" => j > 0 && matches[j - 1],
                    _ => j > 0 && matches[j - 1] && string.Equals(token, path[j - 1], comparison),
                };
            }

            matches = next;
        }

        return matches[path.Length];
    }
}
