namespace Integrations.Core.Webhooks;

/// <summary>
/// What a create takes (and, without <see cref="Secret"/> and <see cref="GenerateSecret"/>, what a patch is applied to).
/// </summary>
/// <param name="Secret">The first signing secret as the provider shows it; never echoed, never logged.</param>
/// <param name="GenerateSecret">Let the hub make the secret (<c>standard</c> and <c>hmac</c> only); it is returned once.</param>
public sealed record WebhookSourceInput(
    string? Name = null,
    string? Scheme = null,
    string? Description = null,
    WebhookSettingsInput? Settings = null,
    bool? Enabled = null,
    string? Secret = null,
    bool? GenerateSecret = null)
{
    public override string ToString() =>
        $"WebhookSourceInput {{ Name = {Name}, Scheme = {Scheme}, Enabled = {Enabled}, Secret = {(Secret is null ? "null" : "***")}, GenerateSecret = {GenerateSecret} }}";

    /// <summary>The source's editable fields as an input (no secret): what a merge patch is applied to.</summary>
    public static WebhookSourceInput From(WebhookSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var s = source.Settings;
        return new WebhookSourceInput(source.Name, source.Scheme, source.Description,
            new WebhookSettingsInput(s.ToleranceSeconds,
                s.Hmac is { } h ? new HmacSettingsInput(h.SignatureHeader, h.Algorithm, h.Encoding, h.Prefix, h.TimestampHeader, h.Separator) : null,
                s.EventIdHeader, s.EventIdPointer, s.EventTypePointer),
            source.Enabled);
    }
}

/// <summary>A source's settings as sent; every member optional (defaults of <see cref="WebhookSourceSettings"/>).</summary>
public sealed record WebhookSettingsInput(
    int? ToleranceSeconds = null,
    HmacSettingsInput? Hmac = null,
    string? EventIdHeader = null,
    string? EventIdPointer = null,
    string? EventTypePointer = null);

/// <summary>The generic scheme's shape as sent (<see cref="HmacSchemeSettings"/>).</summary>
public sealed record HmacSettingsInput(
    string? SignatureHeader = null,
    string? Algorithm = null,
    string? Encoding = null,
    string? Prefix = null,
    string? TimestampHeader = null,
    string? Separator = null);

/// <summary>A new signing secret for a source (<c>POST …/secrets</c>).</summary>
/// <param name="Secret">The new value; or <paramref name="GenerateSecret"/>.</param>
/// <param name="ExpirePreviousInSeconds">When every key still accepted stops being accepted: default 24 h, 0 = at once, at most 30 days.</param>
public sealed record WebhookSecretInput(string? Secret = null, bool? GenerateSecret = null, long? ExpirePreviousInSeconds = null)
{
    public override string ToString() =>
        $"WebhookSecretInput {{ Secret = {(Secret is null ? "null" : "***")}, GenerateSecret = {GenerateSecret}, ExpirePreviousInSeconds = {ExpirePreviousInSeconds} }}";
}

/// <summary>A source as written, with the secret the hub generated for it (null when the caller sent one): shown once.</summary>
public sealed record WebhookSourceWithSecret(WebhookSource Source, string? GeneratedSecret)
{
    public override string ToString() => $"WebhookSourceWithSecret {{ Source = {Source.Id}, GeneratedSecret = {(GeneratedSecret is null ? "null" : "***")} }}";
}
