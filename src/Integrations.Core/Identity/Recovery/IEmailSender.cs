namespace Integrations.Core.Identity.Recovery;

/// <summary>Sends mail through a provider's HTTP API (Resend: <c>Integrations.Http</c>). Core holds no HttpClient.</summary>
public interface IEmailSender
{
    /// <summary>Sends <paramref name="message"/> with <paramref name="apiKey"/>; false (logged without the key or bodies) when the provider refused or was unreachable.</summary>
    Task<bool> SendAsync(EmailMessage message, string apiKey, CancellationToken cancellationToken = default);
}
