using System.Diagnostics.CodeAnalysis;

namespace Integrations.Core.OAuth.Protocol;

/// <summary>The end of a token request: a <see cref="TokenResponse"/> or an <see cref="OAuthFailure"/>.</summary>
public sealed record TokenResult(TokenResponse? Response, OAuthFailure? Failure)
{
    [MemberNotNullWhen(true, nameof(Response))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool IsSuccess => Response is not null;

    public static TokenResult Success(TokenResponse response) => new(response, null);

    public static TokenResult Failed(OAuthFailure failure) => new(null, failure);
}
