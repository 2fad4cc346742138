using Integrations.Core.Vault;

namespace Integrations.Api.Secrets;

// Request bodies: every field is nullable, so a missing field is reported by validation, not by the parser.

public sealed record CreateSecretRequest(
    string? Name, string? Value, string? Description, List<string>? Tags, string? AuthType = null, Dictionary<string, string>? Metadata = null,
    DateTimeOffset? ExpiresAt = null, string? RotateEvery = null);

public sealed record UpdateSecretRequest(
    string? Value, string? Description, List<string>? Tags, string? AuthType = null, Dictionary<string, string>? Metadata = null,
    DateTimeOffset? ExpiresAt = null, string? RotateEvery = null);

public sealed record RevealSecretRequest(int? Version);

// Responses: none has a field for a secret value except RevealResponse.

/// <summary>A secret's metadata. <see cref="Metadata"/> is null (left out) in lists, which do not read it: GET the secret for it.</summary>
public sealed record SecretResponse(
    string Id, string Name, int Version, string? Description, IReadOnlyList<string> Tags, string AuthType, IReadOnlyDictionary<string, string>? Metadata,
    string CreatedBy, DateTimeOffset CreatedAt, string UpdatedBy, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt, DateTimeOffset? PurgeAfter,
    DateTimeOffset? ExpiresAt = null, string? RotateEvery = null)
{
    public static SecretResponse From(SecretRecord s, TimeSpan retention, bool withMetadata = true) => new(
        s.SecretId, s.Location.Name, s.CurrentVersion, s.Description, s.Tags, s.AuthType, withMetadata ? s.Metadata : null, s.CreatedBy, s.CreatedAt,
        s.UpdatedBy, s.UpdatedAt, s.DeletedAt, s.DeletedAt + retention, s.ExpiresAt, RotationPeriod.Format(s.RotateEvery));
}

/// <summary><c>rotate_every</c> on the wire: an ISO 8601 duration such as <c>P90D</c> (XML Schema duration, no months or years).</summary>
public static class RotationPeriod
{
    public static string? Format(TimeSpan? period) => period is { } p ? System.Xml.XmlConvert.ToString(p) : null;

    /// <summary>The period, or an invalid-rotation-period error (also for months and years, whose length varies).</summary>
    public static Integrations.Core.Common.Result<TimeSpan?> Parse(string? text)
    {
        if (text is null)
        {
            return (TimeSpan?)null;
        }

        try
        {
            var datePart = text.Split('T')[0];
            if (datePart.Contains('Y', StringComparison.Ordinal) || datePart.Contains('M', StringComparison.Ordinal))
            {
                throw new FormatException();
            }

            var period = System.Xml.XmlConvert.ToTimeSpan(text);
            return SecretRules.ValidateRotateEvery(period) is { } error ? error : period;
        }
        catch (FormatException)
        {
            return SecretRules.ValidateRotateEvery(TimeSpan.Zero)!;
        }
        catch (OverflowException)
        {
            return SecretRules.ValidateRotateEvery(TimeSpan.Zero)!;
        }
    }
}

public sealed record SecretVersionResponse(int Version, string CreatedBy, DateTimeOffset CreatedAt);

public sealed record RevealResponse(string Name, int Version, string Value);
