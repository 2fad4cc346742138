using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.Identity.Invitations;

/// <summary>
/// Invitations: their lifetime and mail templates. Bound from the <c>Auth</c> section (delivery itself — <c>Auth:Platform</c>,
/// <c>Auth:Events:SealingKey</c>, <c>Auth:Resend</c>, <c>Auth:Email:From</c>, <c>Auth:SiteUrl</c> — is recovery's settings)
/// and validated at start.
/// </summary>
public sealed class InvitationOptions
{
    public const string SectionName = "Auth";

    /// <summary>How long an invitation works (default 7 days, 1 hour – 30 days).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00", ErrorMessage = "Auth:InvitationLifetime must be between 1 hour and 30 days (d.hh:mm:ss).")]
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary><c>Auth:Email:Invitation*</c>: the invitation mail.</summary>
    public InvitationEmailOptions Email { get; set; } = new();
}

/// <summary>
/// <c>Auth:Email:InvitationSubject|InvitationText|InvitationHtml</c>; placeholders <c>{{url}}</c>, <c>{{token}}</c>,
/// <c>{{email}}</c>, <c>{{organization_name}}</c>, <c>{{role}}</c>, <c>{{expires_in_days}}</c> (HTML-escaped in the HTML body).
/// </summary>
public sealed class InvitationEmailOptions
{
    public string InvitationSubject { get; set; } = "You are invited to {{organization_name}}";

    public string InvitationText { get; set; } =
        "Hello,\n\nYou are invited to join {{organization_name}} as {{role}}. Open this link to accept:\n{{url}}\n\nSign in (or sign up) with {{email}}. The invitation works for {{expires_in_days}} days.";

    public string InvitationHtml { get; set; } =
        "<p>Hello,</p><p>You are invited to join {{organization_name}} as {{role}}.</p><p><a href=\"{{url}}\">Accept the invitation</a></p><p>Sign in (or sign up) with {{email}}. The invitation works for {{expires_in_days}} days.</p>";
}
