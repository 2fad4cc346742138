using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity.Tokens;

/// <summary>
/// <c>Auth:Issuer</c> (or the <c>Hub:PublicBaseUrl</c> it defaults to) must be set, an absolute URI without query or
/// fragment: it is compared byte for byte with every token's <c>iss</c>.
/// </summary>
public sealed class AccessTokenOptionsValidator : IValidateOptions<AccessTokenOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessTokenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            return ValidateOptionsResult.Fail(
                "Auth:Issuer is required: set it (e.g. https://hub.example.com) or set Hub:PublicBaseUrl, which it defaults to.");
        }

        if (!Uri.TryCreate(options.Issuer, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.Query)
            || options.Issuer.Contains('#', StringComparison.Ordinal) || options.Issuer.Length > 200)
        {
            return ValidateOptionsResult.Fail("Auth:Issuer must be an absolute URI of at most 200 characters with no query or fragment, e.g. https://hub.example.com.");
        }

        return ValidateOptionsResult.Success;
    }
}
