namespace Integrations.Core.Connections;

/// <summary>
/// One allow or deny rule of a connection's proxy policy: HTTP methods (empty: any) and a glob over the normalised
/// path below the base URL (<c>*</c> one segment, <c>**</c> any number). Deny wins over allow; with any allow rule,
/// a request no allow rule matches is denied.
/// </summary>
public sealed record ProxyRule(ProxyRuleEffect Effect, IReadOnlyList<string> Methods, string PathGlob);

public enum ProxyRuleEffect
{
    Allow,
    Deny,
}
