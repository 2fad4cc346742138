using Integrations.Core.Crypto;
using Integrations.Core.Identity.Recovery;

namespace Integrations.Core.Tests.Identity.Recovery;

public sealed class RecoveryTokenTests
{
    [Fact]
    public void Generate_HasItsPrefixAndChecksum_AndIsNotWellFormedAsTheOtherKind()
    {
        var verification = RecoveryToken.Generate(RecoveryPurpose.EmailVerification);
        var reset = RecoveryToken.Generate(RecoveryPurpose.PasswordReset);

        Assert.StartsWith("ihv_", verification, StringComparison.Ordinal);
        Assert.StartsWith("ihp_", reset, StringComparison.Ordinal);
        Assert.Equal(RecoveryToken.Length, verification.Length);
        Assert.True(RecoveryToken.IsWellFormed(verification, RecoveryPurpose.EmailVerification));
        Assert.False(RecoveryToken.IsWellFormed(verification, RecoveryPurpose.PasswordReset));
        Assert.False(RecoveryToken.IsWellFormed(reset, RecoveryPurpose.EmailVerification));
        Assert.False(RecoveryToken.IsWellFormed(verification[..^1] + (verification[^1] == 'a' ? 'b' : 'a'), RecoveryPurpose.EmailVerification));
    }

    [Fact]
    public void LookupHash_DependsOnKeyAndPurpose()
    {
        using var key = new AuthorityKey("k1", new byte[32]);
        using var other = new AuthorityKey("k2", Enumerable.Repeat((byte)1, 32).ToArray());
        var token = RecoveryToken.Generate(RecoveryPurpose.PasswordReset);

        var hash = RecoveryToken.LookupHash(key, RecoveryPurpose.PasswordReset, token);

        Assert.Equal(64, hash.Length);
        Assert.Equal(hash, RecoveryToken.LookupHash(key, RecoveryPurpose.PasswordReset, token));
        Assert.NotEqual(hash, RecoveryToken.LookupHash(key, RecoveryPurpose.EmailVerification, token));
        Assert.NotEqual(hash, RecoveryToken.LookupHash(other, RecoveryPurpose.PasswordReset, token));
        Assert.DoesNotContain(token[4..], hash, StringComparison.Ordinal);
    }
}
