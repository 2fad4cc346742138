using System.Net;
using System.Text;
using Integrations.Core.Events;
using Integrations.Core.Identity.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity.Recovery;

/// <summary>
/// Hands a new recovery token to the person: as an auth event in the platform project's outbox (published through the
/// outbound webhooks like every hub event) with the token-bearing field sealed, and — when <c>Auth:Resend:ApiKey</c> is set —
/// as a mail the hub sends itself through <see cref="IEmailSender"/>. Never throws for a delivery failure: the request that
/// caused it answers the same either way (a reset request must not tell whether the address exists); failures are logged.
/// </summary>
/// <remarks>
/// <b>What is sealed.</b> <see cref="EventWriter"/> refuses credential-like data keys, and the outbox row, the outbound
/// message and the activity list keep event data as written. So the event's data holds <c>user_id</c>, <c>email</c>,
/// <c>expires_at</c> and <c>sealed_link</c> = <c>v1.{nonce}.{ciphertext‖tag}</c> (base64url): AES-256-GCM under the key in the
/// platform project's vault secret <c>Auth:Events:SealingKey</c>, associated data <c>{event type}\n{user id}</c>, over the JSON
/// <c>{"token","url"}</c>. Nothing else in the event can be used to verify an address or reset a password.
/// </remarks>
public sealed partial class RecoveryDelivery(
    IServiceProvider services, IEmailSender? mail, IOptions<RecoveryOptions> options, ILogger<RecoveryDelivery> logger)
{
    public const string SealedLinkVersion = SealedLink.Version;

    private RecoveryOptions Options => options.Value;

    /// <summary>The link the person opens: <c>{Auth:SiteUrl}/auth/verify-email?token=…</c> or <c>/auth/reset-password?token=…</c>; null without a site URL.</summary>
    public string? LinkFor(RecoveryPurpose purpose, string token)
    {
        if (Options.SiteUrl is not { } site)
        {
            return null;
        }

        var path = purpose == RecoveryPurpose.EmailVerification ? "auth/verify-email" : "auth/reset-password";
        return $"{site.TrimEnd('/')}/{path}?token={Uri.EscapeDataString(token)}";
    }

    /// <summary>Publishes the event and sends the mail for <paramref name="issued"/> (each when configured).</summary>
    public async Task DeliverAsync(User user, IssuedRecoveryToken issued, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(issued);
        var type = issued.Purpose == RecoveryPurpose.EmailVerification ? HubEventTypes.AuthEmailVerificationRequired : HubEventTypes.AuthPasswordResetRequested;
        if (Options.PublishesEvents)
        {
            try
            {
                await PublishAsync(user, issued, type, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.EventFailed(logger, type, user.Id, ex.GetType().Name);
            }
        }

        if (Options.SendsMail)
        {
            try
            {
                await MailAsync(user, issued, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.MailFailed(logger, type, user.Id, ex.GetType().Name);
            }
        }
    }

    /// <summary>Opens a <c>sealed_link</c> with the key (what the platform's app does); null when it does not open.</summary>
    public static (string Token, string? Url)? OpenSealedLink(string sealedLink, ReadOnlySpan<byte> key, string eventType, string userId) =>
        SealedLink.Open(sealedLink, key, eventType, userId);

    /// <summary>Seals <paramref name="token"/> and <paramref name="url"/> under <paramref name="key"/> (see the remarks).</summary>
    public static string SealLink(string token, string? url, ReadOnlySpan<byte> key, string eventType, string userId) =>
        SealedLink.Seal(token, url, key, eventType, userId);

    /// <summary>Replaces <c>{{name}}</c> placeholders; values go into HTML escaped when <paramref name="html"/>. Unknown names stay as written.</summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> values, bool html)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        var result = new StringBuilder(template.Length + 256);
        var i = 0;
        while (i < template.Length)
        {
            var start = template.IndexOf("{{", i, StringComparison.Ordinal);
            var end = start < 0 ? -1 : template.IndexOf("}}", start + 2, StringComparison.Ordinal);
            if (start < 0 || end < 0)
            {
                result.Append(template, i, template.Length - i);
                break;
            }

            result.Append(template, i, start - i);
            var name = template[(start + 2)..end].Trim();
            if (values.TryGetValue(name, out var value))
            {
                result.Append(html ? WebUtility.HtmlEncode(value) : value);
            }
            else
            {
                result.Append(template, start, end + 2 - start);
            }

            i = end + 2;
        }

        return result.ToString();
    }

    private async Task PublishAsync(User user, IssuedRecoveryToken issued, string type, CancellationToken cancellationToken)
    {
        var platform = Options.Platform;
        var sealedLink = await SealedLink.SealWithPlatformKeyAsync(services, Options, issued.Token, issued.Url, type, user.Id, cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["user_id"] = user.Id,
            ["email"] = user.Email,
            ["expires_at"] = issued.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["sealed_link"] = sealedLink,
        };
        // Resolved here, not injected: the event writer's listeners reach the outbound services, which are not in every host.
        var writer = services.GetRequiredService<EventWriter>();
        await writer.AppendAsync(platform.OrganizationId!, platform.ProjectId!, type, "user/" + user.Id, data, cancellationToken).ConfigureAwait(false);
        Log.EventPublished(logger, type, user.Id);
    }

    private async Task MailAsync(User user, IssuedRecoveryToken issued, CancellationToken cancellationToken)
    {
        if (mail is null)
        {
            throw new InvalidOperationException("Auth:Resend:ApiKey is set but no IEmailSender is registered (AddIntegrationsHttp).");
        }

        var email = Options.Email;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["url"] = issued.Url ?? string.Empty,
            ["token"] = issued.Token,
            ["email"] = user.Email,
            ["display_name"] = string.IsNullOrEmpty(user.DisplayName) ? user.Email : user.DisplayName,
            ["expires_in_minutes"] = ((int)Math.Round((issued.Purpose == RecoveryPurpose.EmailVerification ? Options.EmailVerificationLifetime : Options.PasswordResetLifetime).TotalMinutes))
                .ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var verification = issued.Purpose == RecoveryPurpose.EmailVerification;
        var message = new EmailMessage(email.From!, user.Email,
            Render(verification ? email.VerificationSubject : email.ResetSubject, values, html: false),
            Render(verification ? email.VerificationHtml : email.ResetHtml, values, html: true),
            Render(verification ? email.VerificationText : email.ResetText, values, html: false));
        var apiKey = await SealedLink.RevealPlatformSecretAsync(services, Options, Options.Resend.ApiKey!, cancellationToken).ConfigureAwait(false);
        var sent = await mail.SendAsync(message, apiKey.Trim(), cancellationToken).ConfigureAwait(false);
        if (sent)
        {
            Log.MailSent(logger, issued.Purpose, user.Id);
        }
    }

    // Event ids 9730-9759 are recovery's and admin's. Never a token, a password, an address or an API key.
    private static partial class Log
    {
        [LoggerMessage(EventId = 9740, Level = LogLevel.Information, Message = "Auth event {Type} published for user {UserId}.")]
        public static partial void EventPublished(ILogger logger, string type, string userId);

        [LoggerMessage(EventId = 9741, Level = LogLevel.Error, Message = "Auth event {Type} for user {UserId} could not be published ({Failure}).")]
        public static partial void EventFailed(ILogger logger, string type, string userId, string failure);

        [LoggerMessage(EventId = 9742, Level = LogLevel.Information, Message = "{Purpose} mail sent to user {UserId}.")]
        public static partial void MailSent(ILogger logger, RecoveryPurpose purpose, string userId);

        [LoggerMessage(EventId = 9743, Level = LogLevel.Error, Message = "Mail for {Type} to user {UserId} could not be sent ({Failure}).")]
        public static partial void MailFailed(ILogger logger, string type, string userId, string failure);
    }
}
