using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity.Tokens;

/// <summary>
/// <c>Auth:Issuer</c> (or the <c>Hub:PublicBaseUrl</c> it defaults to), when set, is an absolute URI without query or
/// fragment: it is compared byte for byte with every token's <c>iss</c>. It may be unset where no token is issued or
/// validated (the CLI, which only rotates signing keys); the API requires <c>Hub:PublicBaseUrl</c>, so there it is always set,
/// and the issuer and validator refuse to start without it.
/// </summary>
public sealed class AccessTokenOptionsValidator : IValidateOptions<AccessTokenOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessTokenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Issuer is null)
        {
            return ValidateOptionsResult.Success;
        }

        if (!Uri.TryCreate(options.Issuer, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.Query)
            || options.Issuer.Contains('#', StringComparison.Ordinal) || options.Issuer.Length > 200)
        {
            return ValidateOptionsResult.Fail("Auth:Issuer must be an absolute URI of at most 200 characters with no query or fragment, e.g. https://hub.example.com.");
        }

        return ValidateOptionsResult.Success;
    }
}
