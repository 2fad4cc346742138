using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Integrations.Core.Identity.Tokens;

/// <summary>
/// One access-token signing key, unwrapped: an ECDSA P-256 key, its <c>kid</c> (the key record's id), the encoded JWS
/// header the issuer writes with it, and its public coordinates for the JWKS. The private key lives only in the
/// <see cref="ECDsa"/> object; <see cref="ToString"/> names the kid, nothing else.
/// </summary>
public sealed class SigningKey : IDisposable
{
    private SigningKey(string id, ECDsa key, DateTimeOffset createdAt)
    {
        Id = id;
        Key = key;
        CreatedAt = createdAt;
        var parameters = key.ExportParameters(includePrivateParameters: false);
        X = Base64Url.EncodeToString(parameters.Q.X);
        Y = Base64Url.EncodeToString(parameters.Q.Y);
        // The header is fixed per key: written once here, and the validator requires a token's header to be exactly this.
        EncodedHeader = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($$"""{"alg":"ES256","kid":"{{id}}","typ":"at+jwt"}"""));
    }

    /// <summary>The key id (<c>kid</c>): the id of its key record.</summary>
    public string Id { get; }

    /// <summary>When the key record was created: the newest usable key signs.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>The public point's x coordinate, base64url (32 bytes).</summary>
    public string X { get; }

    /// <summary>The public point's y coordinate, base64url (32 bytes).</summary>
    public string Y { get; }

    /// <summary>The base64url JWS protected header this key signs under: <c>{"alg":"ES256","kid":…,"typ":"at+jwt"}</c>.</summary>
    public string EncodedHeader { get; }

    /// <summary>
    /// The key. Shared by concurrent requests: only SignData/VerifyData are called on it, each of which works on its own
    /// native context (OpenSSL/CNG), so it is never mutated after import.
    /// </summary>
    internal ECDsa Key { get; }

    /// <summary>Imports a PKCS#8 P-256 private key. Throws <see cref="CryptographicException"/> for anything else.</summary>
    public static SigningKey FromPkcs8(string id, ReadOnlySpan<byte> pkcs8, DateTimeOffset createdAt)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(pkcs8, out var read);
            var curve = key.ExportParameters(includePrivateParameters: false).Curve;
            if (read != pkcs8.Length || key.KeySize != 256 || !curve.IsNamed || curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new CryptographicException("An access-token signing key must be a PKCS#8 ECDSA P-256 private key.");
            }

            return new SigningKey(id, key, createdAt);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>A new random P-256 key as PKCS#8 (the caller wraps it, then zeroes the bytes).</summary>
    public static byte[] NewPkcs8()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKey();
    }

    public override string ToString() => $"SigningKey({Id})";

    public void Dispose() => Key.Dispose();
}
