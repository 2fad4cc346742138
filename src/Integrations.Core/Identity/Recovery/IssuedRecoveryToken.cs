namespace Integrations.Core.Identity.Recovery;

/// <summary>A recovery token just issued, with its link. Holds the token: <see cref="ToString"/> leaves it out.</summary>
public sealed record IssuedRecoveryToken(string UserId, RecoveryPurpose Purpose, string Token, string? Url, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"IssuedRecoveryToken {{ UserId = {UserId}, Purpose = {Purpose}, ExpiresAt = {ExpiresAt:O} }}";
}
