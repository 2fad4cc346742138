using System.Globalization;
using Integrations.Core.Events;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Identity.Recovery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity.Invitations;

/// <summary>
/// Hands a new invitation to the invited person the way recovery links go (<see cref="RecoveryDelivery"/>): the event
/// <see cref="HubEventTypes.AuthInvitationCreated"/> in the platform project's outbox (<c>Auth:Platform</c>) with the token
/// sealed (<see cref="SealedLink"/>, associated data <c>{type}\n{invitation id}</c>), and — with <c>Auth:Resend:ApiKey</c> — a
/// mail through <see cref="IEmailSender"/>. Never throws for a delivery failure (the invitation exists and the inviter has its
/// token); failures are logged.
/// </summary>
public sealed partial class InvitationDelivery(
    IServiceProvider services, IOptions<RecoveryOptions> recovery, IOptions<InvitationOptions> options, ILogger<InvitationDelivery> logger)
{
    private RecoveryOptions Recovery => recovery.Value;

    /// <summary>The link the person opens: <c>{Auth:SiteUrl}/auth/accept-invitation?token=…</c>; null without a site URL.</summary>
    public string? LinkFor(string token) =>
        Recovery.SiteUrl is { } site ? $"{site.TrimEnd('/')}/auth/accept-invitation?token={Uri.EscapeDataString(token)}" : null;

    /// <summary>Publishes the event and sends the mail for <paramref name="issued"/> (each when configured).</summary>
    public async Task DeliverAsync(IssuedInvitation issued, string? organizationName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(issued);
        var invitation = issued.Invitation;
        if (Recovery.PublishesEvents)
        {
            try
            {
                await PublishAsync(issued, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.EventFailed(logger, invitation.Id, ex.GetType().Name);
            }
        }

        if (Recovery.SendsMail)
        {
            try
            {
                await MailAsync(issued, organizationName, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.MailFailed(logger, invitation.Id, ex.GetType().Name);
            }
        }
    }

    private async Task PublishAsync(IssuedInvitation issued, CancellationToken cancellationToken)
    {
        const string Type = HubEventTypes.AuthInvitationCreated;
        var invitation = issued.Invitation;
        var sealedLink = await SealedLink.SealWithPlatformKeyAsync(services, Recovery, issued.Token, issued.Url, Type, invitation.Id, cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["invitation_id"] = invitation.Id,
            ["organization_id"] = invitation.OrganizationId,
            ["email"] = invitation.Email,
            ["role"] = OrganizationRoles.Name(invitation.Role),
            ["invited_by"] = invitation.InvitedBy,
            ["expires_at"] = invitation.ExpiresAt.ToString("O", CultureInfo.InvariantCulture),
            ["sealed_link"] = sealedLink,
        };
        // Resolved here, not injected: the event writer's listeners reach the outbound services, which are not in every host.
        var writer = services.GetRequiredService<EventWriter>();
        var platform = Recovery.Platform;
        await writer.AppendAsync(platform.OrganizationId!, platform.ProjectId!, Type, "invitation/" + invitation.Id, data, cancellationToken).ConfigureAwait(false);
        Log.EventPublished(logger, invitation.Id);
    }

    private async Task MailAsync(IssuedInvitation issued, string? organizationName, CancellationToken cancellationToken)
    {
        var mail = services.GetService<IEmailSender>()
            ?? throw new InvalidOperationException("Auth:Resend:ApiKey is set but no IEmailSender is registered (AddIntegrationsHttp).");
        var invitation = issued.Invitation;
        var templates = options.Value.Email;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["url"] = issued.Url ?? string.Empty,
            ["token"] = issued.Token,
            ["email"] = invitation.Email,
            ["organization_name"] = string.IsNullOrWhiteSpace(organizationName) ? invitation.OrganizationId : organizationName,
            ["role"] = OrganizationRoles.Name(invitation.Role),
            ["expires_in_days"] = ((int)Math.Ceiling((invitation.ExpiresAt - invitation.CreatedAt).TotalDays)).ToString(CultureInfo.InvariantCulture),
        };
        var message = new EmailMessage(Recovery.Email.From!, invitation.Email,
            RecoveryDelivery.Render(templates.InvitationSubject, values, html: false),
            RecoveryDelivery.Render(templates.InvitationHtml, values, html: true),
            RecoveryDelivery.Render(templates.InvitationText, values, html: false));
        var apiKey = await SealedLink.RevealPlatformSecretAsync(services, Recovery, Recovery.Resend.ApiKey!, cancellationToken).ConfigureAwait(false);
        if (await mail.SendAsync(message, apiKey.Trim(), cancellationToken).ConfigureAwait(false))
        {
            Log.MailSent(logger, invitation.Id);
        }
    }

    // Event ids 9790-9819 are invitations'. Invitation ids only: never a token or an address.
    private static partial class Log
    {
        [LoggerMessage(EventId = 9800, Level = LogLevel.Information, Message = "Invitation event published for invitation {InvitationId}.")]
        public static partial void EventPublished(ILogger logger, string invitationId);

        [LoggerMessage(EventId = 9801, Level = LogLevel.Error, Message = "Invitation event for invitation {InvitationId} could not be published ({Failure}).")]
        public static partial void EventFailed(ILogger logger, string invitationId, string failure);

        [LoggerMessage(EventId = 9802, Level = LogLevel.Information, Message = "Invitation mail sent for invitation {InvitationId}.")]
        public static partial void MailSent(ILogger logger, string invitationId);

        [LoggerMessage(EventId = 9803, Level = LogLevel.Error, Message = "Invitation mail for invitation {InvitationId} could not be sent ({Failure}).")]
        public static partial void MailFailed(ILogger logger, string invitationId, string failure);
    }
}
