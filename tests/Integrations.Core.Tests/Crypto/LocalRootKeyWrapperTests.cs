using System.Security.Cryptography;
using Integrations.Core.Crypto;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Tests.Crypto;

public sealed class LocalRootKeyWrapperTests
{
    private static LocalRootKeyWrapper Wrapper(string root, params string[] previous)
    {
        var options = new KeyWrappingOptions { RootKey = root };
        foreach (var key in previous)
        {
            options.PreviousRootKeys.Add(key);
        }

        return new LocalRootKeyWrapper(Options.Create(options));
    }

    private static readonly KeyBinding Kek = new(KeyPurpose.DataKeyEncryption, "kek_aaaaaaaaaaaaaaaaaaaa");

    private static string NewRoot() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task WrapThenUnwrap_RoundTrips_AndNamesTheRootKey()
    {
        using var wrapper = Wrapper(NewRoot());
        var key = RandomNumberGenerator.GetBytes(32);

        var wrapped = await wrapper.WrapAsync(key, Kek);

        Assert.StartsWith("local:", wrapped.RootKeyId, StringComparison.Ordinal);
        Assert.Equal(key, await wrapper.UnwrapAsync(wrapped, Kek));
    }

    [Fact]
    public async Task Unwrap_AfterRootChange_WorksOnlyWhileTheOldKeyIsListedAsPrevious()
    {
        var oldRoot = NewRoot();
        using var before = Wrapper(oldRoot);
        var wrapped = await before.WrapAsync(RandomNumberGenerator.GetBytes(32), Kek);
        using var withPrevious = Wrapper(NewRoot(), oldRoot);
        using var without = Wrapper(NewRoot());

        Assert.Equal(32, (await withPrevious.UnwrapAsync(wrapped, Kek)).Length);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => without.UnwrapAsync(wrapped, Kek));
        Assert.Contains("KeyWrapping:PreviousRootKeys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCurrentKeyIdAsync_IsTheRootKeyIdThatWrapRecords()
    {
        var oldRoot = NewRoot();
        using var wrapper = Wrapper(NewRoot(), oldRoot);
        using var before = Wrapper(oldRoot);

        var current = await wrapper.GetCurrentKeyIdAsync();

        Assert.Equal((await wrapper.WrapAsync(RandomNumberGenerator.GetBytes(32), Kek)).RootKeyId, current);
        Assert.NotEqual(await before.GetCurrentKeyIdAsync(), current);
    }

    [Fact]
    public async Task Unwrap_Tampered_FailsWithIntegrityError()
    {
        using var wrapper = Wrapper(NewRoot());
        var wrapped = await wrapper.WrapAsync(RandomNumberGenerator.GetBytes(32), Kek);
        wrapped.Ciphertext[20] ^= 1;

        await Assert.ThrowsAsync<SecretIntegrityException>(() => wrapper.UnwrapAsync(wrapped, Kek));
    }

    [Theory]
    [InlineData(KeyPurpose.DataKeyEncryption, "kek_bbbbbbbbbbbbbbbbbbbb")] // KEK A's wrap in KEK B's record
    [InlineData(KeyPurpose.AuditHmac, "kek_aaaaaaaaaaaaaaaaaaaa")] // same id, another purpose
    [InlineData(KeyPurpose.AuthorityMac, "ahk_aaaaaaaaaaaaaaaaaaaa")]
    public async Task Unwrap_WithAnotherBinding_FailsWithIntegrityError(KeyPurpose purpose, string recordId)
    {
        using var wrapper = Wrapper(NewRoot());
        var wrapped = await wrapper.WrapAsync(RandomNumberGenerator.GetBytes(32), Kek);

        await Assert.ThrowsAsync<SecretIntegrityException>(() => wrapper.UnwrapAsync(wrapped, new KeyBinding(purpose, recordId)));
    }

    [Fact]
    public async Task Unwrap_BoundWrapRelabelledAsLegacy_FailsWithIntegrityError()
    {
        using var wrapper = Wrapper(NewRoot());
        var wrapped = await wrapper.WrapAsync(RandomNumberGenerator.GetBytes(32), Kek);

        await Assert.ThrowsAsync<SecretIntegrityException>(() => wrapper.UnwrapAsync(wrapped with { Format = WrappedKey.LegacyFormat }, Kek));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void Validator_LocalWithoutA32ByteRootKey_FailsNamingTheSetting(string? rootKey)
    {
        var result = new KeyWrappingOptionsValidator().Validate(null, new KeyWrappingOptions { RootKey = rootKey });

        Assert.True(result.Failed);
        Assert.Contains("KeyWrapping:RootKey", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://vault.vault.azure.net/keys/hub-root", true)]
    [InlineData("https://vault.vault.azure.net/keys/hub-root/0123456789abcdef", false)]
    [InlineData("http://vault.vault.azure.net/keys/hub-root", false)]
    [InlineData("https://vault.vault.azure.net/secrets/hub-root", false)]
    public void Validator_KeyVault_RequiresAnUnversionedHttpsKeyUri(string keyId, bool valid)
    {
        var result = new KeyWrappingOptionsValidator().Validate(null, new KeyWrappingOptions { Provider = KeyWrappingProvider.KeyVault, KeyId = new Uri(keyId) });

        Assert.Equal(valid, result.Succeeded);
    }
}
