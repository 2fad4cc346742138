using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Integrations.Core.OAuth;

/// <summary>
/// PKCE (RFC 7636): a code verifier of 43 base64url characters from 32 random bytes (256 bits; §4.1 asks for 43 to
/// 128 unreserved characters and recommends 32 octets), and its S256 challenge, BASE64URL(SHA256(ASCII(verifier))) (§4.2).
/// <see cref="ToString"/> never prints the verifier.
/// </summary>
public sealed record Pkce(string CodeVerifier, string CodeChallenge)
{
    public const string Method = "S256";

    public const int MinVerifierLength = 43;
    public const int MaxVerifierLength = 128;

    /// <summary>A fresh verifier and its challenge.</summary>
    public static Pkce Create()
    {
        Span<byte> random = stackalloc byte[32];
        RandomNumberGenerator.Fill(random);
        var verifier = Base64Url.EncodeToString(random);
        CryptographicOperations.ZeroMemory(random);
        return new Pkce(verifier, ChallengeOf(verifier));
    }

    /// <summary>The S256 challenge of <paramref name="verifier"/>.</summary>
    /// <exception cref="ArgumentException">The verifier is not 43 to 128 unreserved characters (RFC 7636 §4.1).</exception>
    public static string ChallengeOf(string verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        if (!IsValidVerifier(verifier))
        {
            throw new ArgumentException("A code verifier is 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_' or '~'.", nameof(verifier));
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.ASCII.GetBytes(verifier), hash);
        return Base64Url.EncodeToString(hash);
    }

    public static bool IsValidVerifier(string? verifier) =>
        verifier is { Length: >= MinVerifierLength and <= MaxVerifierLength } && verifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    public override string ToString() => $"Pkce {{ CodeChallenge = {CodeChallenge}, CodeVerifier = *** }}";
}
