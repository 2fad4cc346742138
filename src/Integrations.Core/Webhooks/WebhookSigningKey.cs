namespace Integrations.Core.Webhooks;

/// <summary>
/// One active signing secret (or, for <c>sendgrid</c> and <c>discord</c>, the provider's public key) of a source, unsealed
/// from the vault for one verification. A source has several while a secret is rolled: each is tried.
/// </summary>
/// <param name="Id">Which of the source's secrets this is (for stats and audit, never the value).</param>
/// <param name="Value">The secret as the provider shows it (e.g. <c>whsec_…</c>, a hex or base64 key).</param>
/// <param name="NotAfter">When it stops being accepted (the end of a roll's overlap window); null = until replaced.</param>
public sealed record WebhookSigningKey(string Id, string Value, DateTimeOffset? NotAfter)
{
    /// <summary>Whether it may verify a request received at <paramref name="at"/>.</summary>
    public bool IsActiveAt(DateTimeOffset at) => NotAfter is null || at < NotAfter.Value;

    public override string ToString() => $"WebhookSigningKey {{ Id = {Id}, Value = ***, NotAfter = {NotAfter} }}";
}
