using Integrations.Core.Common;

namespace Integrations.Core.Tenancy;

/// <summary>Rules for the display names of organizations, projects and API keys: printable (<see cref="PrintableText"/>), trimmed.</summary>
public static class DisplayName
{
    public const int MaxLength = 100;

    public static HubError? Validate(string? name, string field)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return HubError.Invalid(CommonErrors.MissingField, $"{field} is required.", field);
        }

        if (name.Length > MaxLength || !PrintableText.IsPrintable(name) || name.Trim().Length != name.Length)
        {
            return HubError.Invalid(CommonErrors.InvalidName,
                $"{field} must be 1 to {MaxLength} characters, without control, format (bidi, zero-width) or other non-printing characters or surrounding spaces.", field);
        }

        return null;
    }
}
