namespace Integrations.Core.Connections.Proxy;

/// <summary>What a connection's proxy policy says about one request, and which rule said it (for the audit record).</summary>
/// <param name="IsAllowed">Whether the request may be forwarded.</param>
/// <param name="MatchedRule">The deny rule that refused it, the allow rule that let it through, or null (no rules matched:
/// allowed when the policy has no allow rule, denied when it is an allow-list).</param>
public sealed record ProxyPolicyDecision(bool IsAllowed, ProxyRule? MatchedRule)
{
    /// <summary>A sentence for a problem detail or an audit record.</summary>
    public string Reason => (IsAllowed, MatchedRule) switch
    {
        (false, { } rule) => $"denied by the rule '{Describe(rule)}'",
        (false, null) => "no allow rule of the connection's policy matches",
        (true, { } rule) => $"allowed by the rule '{Describe(rule)}'",
        (true, null) => "the connection's policy has no rule against it",
    };

    private static string Describe(ProxyRule rule) =>
        $"{rule.Effect.ToString().ToLowerInvariant()} {(rule.Methods.Count == 0 ? "*" : string.Join(',', rule.Methods))} {rule.PathGlob}";
}
