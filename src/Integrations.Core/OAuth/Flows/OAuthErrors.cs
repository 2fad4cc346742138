namespace Integrations.Core.OAuth.Flows;

/// <summary>Error codes of OAuth browser flows. Each is a problem <c>type</c> with an entry in docs/problems.md.</summary>
public static class OAuthErrors
{
    /// <summary><c>redirect_after</c> is not an absolute http(s) URL without user info (or is http outside Development).</summary>
    public const string InvalidRedirectAfter = "invalid-redirect-after";

    /// <summary><c>redirect_after</c>'s origin is not in the project's <c>allowed_redirect_origins</c>.</summary>
    public const string RedirectOriginNotAllowed = "redirect-origin-not-allowed";

    /// <summary>An <c>allowed_redirect_origins</c> entry is not a bare origin.</summary>
    public const string InvalidRedirectOrigin = "invalid-redirect-origin";

    public const string StateUnknown = "oauth-state-unknown";
    public const string StateExpired = "oauth-state-expired";
    public const string StateUsed = "oauth-state-used";
    public const string IssuerMismatch = "oauth-issuer-mismatch";
    public const string IssuerMissing = "oauth-issuer-missing";
    public const string BindingMissing = "oauth-binding-missing";
    public const string BindingMismatch = "oauth-binding-mismatch";

    public const string StartLinkUnknown = "oauth-start-link-unknown";
    public const string StartLinkUsed = "oauth-start-link-used";
    public const string StartLinkExpired = "oauth-start-link-expired";

    /// <summary>The code of a refused callback, for its failure page.</summary>
    public static string For(OAuthStateRefusal refusal) => refusal switch
    {
        OAuthStateRefusal.Unknown => StateUnknown,
        OAuthStateRefusal.Expired => StateExpired,
        OAuthStateRefusal.AlreadyUsed => StateUsed,
        OAuthStateRefusal.IssuerMismatch => IssuerMismatch,
        OAuthStateRefusal.IssuerMissing => IssuerMissing,
        OAuthStateRefusal.BindingMissing => BindingMissing,
        OAuthStateRefusal.BindingMismatch => BindingMismatch,
        _ => throw new ArgumentOutOfRangeException(nameof(refusal)),
    };

    /// <summary>The code of a refused start link.</summary>
    public static string For(OAuthStartRefusal refusal) => refusal switch
    {
        OAuthStartRefusal.Unknown => StartLinkUnknown,
        OAuthStartRefusal.AlreadyUsed => StartLinkUsed,
        OAuthStartRefusal.Expired => StartLinkExpired,
        _ => throw new ArgumentOutOfRangeException(nameof(refusal)),
    };
}
