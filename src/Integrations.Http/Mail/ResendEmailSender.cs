using System.Net.Http.Headers;
using System.Net.Http.Json;
using Integrations.Core.Identity.Recovery;
using Integrations.Http.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Http.Mail;

/// <summary>
/// Mail through Resend's HTTP API (https://resend.com/docs/api-reference/emails/send-email): <c>POST {Auth:Resend:BaseUrl}/emails</c>
/// with <c>Authorization: Bearer {key}</c> and the JSON <c>{from, to, subject, html, text}</c>, through the guarded
/// <see cref="OutboundHttpClient"/> (SSRF guard, no redirects, size cap, retries on 5xx/429 with backoff). Logs the status
/// only: never the key, the bodies or the address.
/// </summary>
public sealed partial class ResendEmailSender(OutboundHttpClient client, IOptions<RecoveryOptions> options, ILogger<ResendEmailSender> logger) : IEmailSender
{
    /// <summary>Circuit-breaker key: every mail shares Resend's health.</summary>
    public const string TargetKey = "resend";

    public async Task<bool> SendAsync(EmailMessage message, string apiKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        var endpoint = new Uri(options.Value.Resend.BaseUrl.TrimEnd('/') + "/emails");
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = JsonContent.Create(new ResendEmail(message.From, [message.To], message.Subject, message.Html, message.Text)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var result = await client.SendAsync(request, new OutboundCallOptions { TargetKey = TargetKey, MaxResponseBytes = 64 * 1024 }, cancellationToken)
            .ConfigureAwait(false);
        if (result.IsSuccess)
        {
            Log.Sent(logger, (int)result.Response.StatusCode);
            return true;
        }

        Log.Refused(logger, result.Failure.Code, result.Response is null ? 0 : (int)result.Response.StatusCode);
        return false;
    }

    private sealed record ResendEmail(
        [property: System.Text.Json.Serialization.JsonPropertyName("from")] string From,
        [property: System.Text.Json.Serialization.JsonPropertyName("to")] string[] To,
        [property: System.Text.Json.Serialization.JsonPropertyName("subject")] string Subject,
        [property: System.Text.Json.Serialization.JsonPropertyName("html")] string Html,
        [property: System.Text.Json.Serialization.JsonPropertyName("text")] string Text);

    // Event ids 9730-9759 are recovery's and admin's.
    private static partial class Log
    {
        [LoggerMessage(EventId = 9745, Level = LogLevel.Debug, Message = "Resend accepted a mail (HTTP {Status}).")]
        public static partial void Sent(ILogger logger, int status);

        [LoggerMessage(EventId = 9746, Level = LogLevel.Error, Message = "Resend did not accept a mail ({Code}, HTTP {Status}).")]
        public static partial void Refused(ILogger logger, string code, int status);
    }
}
