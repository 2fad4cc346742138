namespace Integrations.Core.OAuth;

/// <summary>
/// How a provider departs from RFC 6749 in its token responses: data the token client reads, never code branches per
/// provider. Every field's default is the RFC's behaviour.
/// </summary>
public sealed record ProviderQuirks
{
    /// <summary>Token responses carry no <c>expires_in</c> (RFC 6749 §5.1 makes it optional): the token client assumes the provider's or hub's default lifetime and refreshes on the first 401.</summary>
    public bool OmitsExpiresIn { get; init; }

    /// <summary>Every refresh returns a new refresh token and the old one stops working: store it with a compare-and-swap before using the access token.</summary>
    public bool RotatesRefreshTokens { get; init; }

    /// <summary>How the <c>scope</c> of a token response is joined, when not by spaces (e.g. GitHub and Slack use commas).</summary>
    public string? GrantedScopeSeparator { get; init; }

    /// <summary><c>token_type</c> is not <c>Bearer</c> as spelled (e.g. <c>bearer</c>, <c>bot</c>): compare case-insensitively and send <c>Bearer</c>.</summary>
    public bool NonStandardTokenType { get; init; }

    /// <summary>The token endpoint answers form-encoded unless asked for JSON: send <c>Accept: application/json</c>.</summary>
    public bool RequiresJsonAcceptHeader { get; init; }

    /// <summary>Issues no refresh token at all: a token that stops working needs a new authorization.</summary>
    public bool NoRefreshTokens { get; init; }
}
