namespace Integrations.Core.Identity.Users;

/// <summary>
/// A person who uses the hub. Stored as an authority row (MAC'd over every field here), so someone who can write the storage
/// account cannot change a password hash, an address or the security stamp. <see cref="ToString"/> leaves the hash out.
/// </summary>
/// <param name="Id">The user id (<c>usr_…</c>).</param>
/// <param name="Email">The normalised address mail is sent to (<c>EmailAddress.Value</c>).</param>
/// <param name="EmailLookupKey">The address the account is found by (<c>EmailAddress.LookupKey</c>): one account per key.</param>
/// <param name="PasswordHash">The PHC-format Argon2id hash, or null for a person who signs in only through a social provider.</param>
/// <param name="EmailVerified">The person has shown they receive mail at <see cref="Email"/>.</param>
/// <param name="DisplayName">The name shown for the person (may be empty).</param>
/// <param name="CreatedAt">When the account was created.</param>
/// <param name="UpdatedAt">When the row last changed.</param>
/// <param name="PasswordChangedAt">When the password was last set (null: never had one).</param>
/// <param name="SecurityStamp">
/// A random value replaced when every session must end (password change, logout everywhere). A session records the stamp of
/// the user it was created for and is refused once they differ — even a session a login wrote while the change committed.
/// </param>
public sealed record User(
    string Id,
    string Email,
    string EmailLookupKey,
    string? PasswordHash,
    bool EmailVerified,
    string DisplayName,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? PasswordChangedAt,
    string SecurityStamp)
{
    /// <summary>The id prefix (<c>usr_…</c>).</summary>
    public const string IdPrefix = "usr";

    /// <summary>The row's ETag as read; updates are conditional on it. Not part of the MAC.</summary>
    public string? ETag { get; init; }

    public override string ToString() =>
        $"User {{ Id = {Id}, EmailVerified = {EmailVerified}, HasPassword = {PasswordHash is not null}, CreatedAt = {CreatedAt:O} }}";
}
