using System.Security.Cryptography;
using Integrations.Core.Common;
using Integrations.Core.Crypto;

namespace Integrations.Core.Identity.Tokens;

/// <summary>Creates access-token signing key records: a new P-256 key, wrapped by the root key and bound to its purpose and id.</summary>
internal static class SigningKeyRecords
{
    /// <summary>The prefix of a signing key's id, which is also its <c>kid</c>.</summary>
    public const string IdPrefix = "atk";

    public static async Task<KeyRecord> CreateAsync(IRootKeyWrapper root, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        var id = Ids.New(IdPrefix);
        var pkcs8 = SigningKey.NewPkcs8();
        try
        {
            var wrapped = await root.WrapAsync(pkcs8, new KeyBinding(KeyPurpose.AccessTokenSigning, id), cancellationToken).ConfigureAwait(false);
            return new KeyRecord(id, KeyPurpose.AccessTokenSigning, wrapped, createdAt);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }
}
