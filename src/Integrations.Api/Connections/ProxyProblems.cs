namespace Integrations.Api.Connections;

/// <summary>Problem codes of the proxy and test routes. Each has an entry in docs/problems.md.</summary>
public static class ProxyProblems
{
    public const string InvalidPath = Core.Connections.Health.ConnectionTester.InvalidPathCode;
    public const string PolicyDenied = "proxy-policy-denied";
    public const string InvalidHubAuth = "invalid-hub-auth";
    public const string NoBaseUrl = "connection-no-base-url";
    public const string Revoked = "connection-revoked";
    public const string TargetRefused = "proxy-target-refused";
    public const string UpstreamUnreachable = "proxy-upstream-unreachable";
    public const string UpstreamTimeout = "proxy-upstream-timeout";
    public const string CircuitOpen = "proxy-circuit-open";
    public const string TestRateLimited = "connection-test-rate-limited";
}
