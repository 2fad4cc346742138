namespace Integrations.Core.Identity.Passwords;

/// <summary>The outcome of checking a password against a stored hash.</summary>
/// <param name="Valid">The password matches.</param>
/// <param name="NeedsRehash">
/// The password matches and the stored hash was made with parameters below today's <c>Auth:PasswordHashing</c>: the caller,
/// holding the password now, stores <see cref="IPasswordHasher.Hash"/> of it (rehash on login). Never true when not valid.
/// </param>
public readonly record struct PasswordVerification(bool Valid, bool NeedsRehash)
{
    public static PasswordVerification Failed => default;
}
