namespace Integrations.Core.Identity.Recovery;

/// <summary>
/// A stored recovery token: never the token, only its keyed lookup hash. An authority row (MAC'd over every field), so a
/// storage writer can neither plant a token nor revive a used one.
/// </summary>
/// <param name="LookupHash">The token's keyed hash (<see cref="RecoveryToken.LookupHash"/>): the row's key.</param>
/// <param name="Purpose">What the token proves.</param>
/// <param name="UserId">Whose account.</param>
/// <param name="EmailLookupKey">The address it was sent to: a token no longer matches once the address changes.</param>
/// <param name="SecurityStamp">The user's stamp at issue: a reset token dies when any password change or reset ends the sessions.</param>
/// <param name="CreatedAt">When it was issued.</param>
/// <param name="ExpiresAt">Refused from this instant.</param>
/// <param name="UsedAt">When it was used (single use), or null.</param>
public sealed record RecoveryTokenRecord(
    string LookupHash,
    RecoveryPurpose Purpose,
    string UserId,
    string EmailLookupKey,
    string SecurityStamp,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? UsedAt)
{
    /// <summary>The row's ETag as read; the consuming write is conditional on it. Not part of the MAC.</summary>
    public string? ETag { get; init; }

    public override string ToString() => $"RecoveryTokenRecord {{ Purpose = {Purpose}, UserId = {UserId}, ExpiresAt = {ExpiresAt:O}, Used = {UsedAt is not null} }}";
}
