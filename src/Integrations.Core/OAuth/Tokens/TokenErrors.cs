namespace Integrations.Core.OAuth.Tokens;

/// <summary>Error codes of the token lifecycle. Each is a problem <c>type</c> with an entry in docs/problems.md.</summary>
public static class TokenErrors
{
    public const string NotOAuth = "connection-not-oauth";
    public const string NotConnected = "connection-not-connected";
    public const string NeedsReauth = "connection-needs-reauth";
    public const string Disabled = "connection-disabled";
    public const string RefreshFailed = "token-refresh-failed";
    public const string RefreshPending = "token-refresh-pending";
}
