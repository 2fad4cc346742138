using System.Diagnostics.CodeAnalysis;

namespace Integrations.Core.Connections.Proxy;

/// <summary>
/// The outcome of <see cref="ProxyPath.Resolve"/>: either the path the policy matches and the exact upstream URI, or
/// why the caller's path was refused.
/// </summary>
public sealed record ProxyPathResult
{
    private ProxyPathResult(string? path, Uri? target, ProxyPathRejection? rejection, string? message)
    {
        Path = path;
        Target = target;
        Rejection = rejection;
        Message = message;
    }

    /// <summary>
    /// The normalised path below the base path, decoded (UTF-8), starting with <c>/</c>, no dot segments, no empty
    /// segments (a trailing slash is kept): what <see cref="ProxyPolicyEvaluator"/> matches. Null when refused.
    /// </summary>
    public string? Path { get; }

    /// <summary>The absolute upstream URI: base URL path + the normalised path (re-encoded) + the caller's query. Null when refused.</summary>
    public Uri? Target { get; }

    /// <summary>Why the path was refused; null when valid.</summary>
    public ProxyPathRejection? Rejection { get; }

    /// <summary>A sentence for a problem detail's <c>detail</c>; it never quotes the path (which may hold anything).</summary>
    public string? Message { get; }

    [MemberNotNullWhen(true, nameof(Path), nameof(Target))]
    [MemberNotNullWhen(false, nameof(Rejection), nameof(Message))]
    public bool IsValid => Rejection is null;

    internal static ProxyPathResult Valid(string path, Uri target) => new(path, target, null, null);

    internal static ProxyPathResult Refused(ProxyPathRejection rejection, string message) => new(null, null, rejection, message);
}
