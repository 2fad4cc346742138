using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.Identity.Recovery;

/// <summary>
/// Email verification, password reset and their delivery. Bound from the <c>Auth</c> configuration section and validated at
/// start (<see cref="RecoveryOptionsValidator"/>).
/// </summary>
public sealed class RecoveryOptions
{
    public const string SectionName = "Auth";

    /// <summary>How long an email-verification token works (default 24 hours, 5 minutes – 7 days).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00", ErrorMessage = "Auth:EmailVerificationLifetime must be between 5 minutes and 7 days (d.hh:mm:ss).")]
    public TimeSpan EmailVerificationLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a password-reset token works (default 1 hour, 5 minutes – 24 hours).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00", ErrorMessage = "Auth:PasswordResetLifetime must be between 5 minutes and 24 hours (d.hh:mm:ss).")]
    public TimeSpan PasswordResetLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The least time a password-reset request takes to answer (default 250 ms, at most 5 s), so an unknown address (one
    /// storage read) and a known one (reads, writes, the event and the mail) answer after similar times. Work longer than
    /// this (a slow mail API) is not hidden; raise it if the requests' p99 is above it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05", ErrorMessage = "Auth:PasswordResetResponseFloor must be between 0 and 5 seconds (hh:mm:ss).")]
    public TimeSpan PasswordResetResponseFloor { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The platform's web app (e.g. <c>https://app.example.com</c>): mailed links are <c>{SiteUrl}/auth/verify-email?token=…</c>
    /// and <c>{SiteUrl}/auth/reset-password?token=…</c>. Required when events or mail are on.
    /// </summary>
    public string? SiteUrl { get; set; }

    /// <summary>Where <c>GET /v1/auth/verify</c> sends the browser (302, <c>?verified=true</c> or <c>?error={code}</c>); without it the route answers JSON.</summary>
    public string? CallbackRedirectUrl { get; set; }

    /// <summary>The platform's own project in the hub: auth events go to its outbox, and its vault holds the secrets named below.</summary>
    public PlatformProjectOptions Platform { get; set; } = new();

    public RecoveryEventOptions Events { get; set; } = new();

    public ResendOptions Resend { get; set; } = new();

    public EmailOptions Email { get; set; } = new();

    /// <summary>True when auth events are published (<see cref="Platform"/> set).</summary>
    public bool PublishesEvents => !string.IsNullOrEmpty(Platform.OrganizationId) && !string.IsNullOrEmpty(Platform.ProjectId);

    /// <summary>True when the hub mails through Resend itself (<c>Auth:Resend:ApiKey</c> set).</summary>
    public bool SendsMail => !string.IsNullOrEmpty(Resend.ApiKey);
}

/// <summary><c>Auth:Platform</c>: the organization and project ids of the platform's own project.</summary>
public sealed class PlatformProjectOptions
{
    public string? OrganizationId { get; set; }

    public string? ProjectId { get; set; }
}

/// <summary><c>Auth:Events</c>.</summary>
public sealed class RecoveryEventOptions
{
    /// <summary>
    /// The name of a vault secret of the platform project holding a base64 256-bit key. The token-bearing field of
    /// <c>auth.email_verification_required</c> and <c>auth.password_reset_requested</c> (<c>data.sealed_link</c>) is sealed
    /// with it (AES-256-GCM), so the outbox, the message store and the activity list never hold a usable token; the
    /// platform's app, which holds the same key, opens it. Required when <c>Auth:Platform</c> is set.
    /// </summary>
    public string? SealingKey { get; set; }
}

/// <summary><c>Auth:Resend</c>: the hub's own mail through Resend's HTTP API.</summary>
public sealed class ResendOptions
{
    /// <summary>The name of a vault secret of the platform project holding the Resend API key (never the key itself). Unset: no mail.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Resend's API base URL (default <c>https://api.resend.com</c>); mail goes to <c>{BaseUrl}/emails</c>.</summary>
    public string BaseUrl { get; set; } = "https://api.resend.com";
}

/// <summary><c>Auth:Email</c>: the sender and the templates (placeholders <c>{{url}}</c>, <c>{{token}}</c>, <c>{{email}}</c>, <c>{{display_name}}</c>, <c>{{expires_in_minutes}}</c>).</summary>
public sealed class EmailOptions
{
    /// <summary>The sender, e.g. <c>Acme &lt;no-reply@acme.example&gt;</c>. Required when mail is on.</summary>
    public string? From { get; set; }

    public string VerificationSubject { get; set; } = "Verify your email address";

    public string VerificationText { get; set; } = "Hello {{display_name}},\n\nOpen this link to verify your email address:\n{{url}}\n\nThe link works for {{expires_in_minutes}} minutes.";

    public string VerificationHtml { get; set; } = "<p>Hello {{display_name}},</p><p><a href=\"{{url}}\">Verify your email address</a></p><p>The link works for {{expires_in_minutes}} minutes.</p>";

    public string ResetSubject { get; set; } = "Reset your password";

    public string ResetText { get; set; } = "Hello {{display_name}},\n\nOpen this link to choose a new password:\n{{url}}\n\nThe link works for {{expires_in_minutes}} minutes. If you did not ask for it, ignore this mail.";

    public string ResetHtml { get; set; } = "<p>Hello {{display_name}},</p><p><a href=\"{{url}}\">Choose a new password</a></p><p>The link works for {{expires_in_minutes}} minutes. If you did not ask for it, ignore this mail.</p>";
}
