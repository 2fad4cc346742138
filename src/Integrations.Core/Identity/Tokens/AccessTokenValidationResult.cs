namespace Integrations.Core.Identity.Tokens;

/// <summary>The outcome of validating an access token: a principal, or the reason it was refused.</summary>
public readonly record struct AccessTokenValidationResult(AccessTokenPrincipal? Principal, AccessTokenFailure Failure)
{
    public bool Succeeded => Principal is not null;

    public static AccessTokenValidationResult Success(AccessTokenPrincipal principal) => new(principal, AccessTokenFailure.None);

    public static AccessTokenValidationResult Refused(AccessTokenFailure failure) => new(null, failure);
}
