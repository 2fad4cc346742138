namespace Integrations.Core.Identity.Passwords;

/// <summary>The Argon2id function itself (one computation per call); a seam so tests can count computations.</summary>
internal interface IArgon2id
{
    void DeriveBytes(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2idParameters parameters, Span<byte> output);
}
