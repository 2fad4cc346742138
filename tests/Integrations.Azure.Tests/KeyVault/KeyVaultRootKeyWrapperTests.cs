using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Azure;
using Integrations.Azure.KeyVault;
using Integrations.Core.Crypto;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Integrations.Azure.Tests.KeyVault;

public sealed class KeyVaultRootKeyWrapperTests(KeyVaultContractServer server) : IClassFixture<KeyVaultContractServer>
{
    private static readonly KeyBinding Kek = new(KeyPurpose.DataKeyEncryption, "kek_aaaaaaaaaaaaaaaaaaaa");

    [Fact]
    public async Task WrapAsync_ThenUnwrapAsync_RoundTripsTheKey()
    {
        var name = server.CreateKey();
        var wrapper = CreateWrapper(name);
        var key = RandomNumberGenerator.GetBytes(32);

        var wrapped = await wrapper.WrapAsync(key, Kek);
        var unwrapped = await wrapper.UnwrapAsync(wrapped, Kek);

        Assert.Equal(key, unwrapped);
        Assert.Equal(256, wrapped.Ciphertext.Length); // RSA-2048 output
        Assert.NotEqual(key, wrapped.Ciphertext.AsSpan(0, 32).ToArray());
    }

    [Theory]
    [InlineData(KeyPurpose.DataKeyEncryption, "kek_bbbbbbbbbbbbbbbbbbbb")] // KEK A's wrapped bytes in KEK B's record
    [InlineData(KeyPurpose.AuditHmac, "kek_aaaaaaaaaaaaaaaaaaaa")] // the same id under another purpose
    [InlineData(KeyPurpose.AuthorityMac, "ahk_aaaaaaaaaaaaaaaaaaaa")]
    public async Task UnwrapAsync_WrapCopiedToAnotherRecord_FailsWithIntegrityError(KeyPurpose purpose, string recordId)
    {
        var name = server.CreateKey();
        var wrapper = CreateWrapper(name);
        var key = RandomNumberGenerator.GetBytes(32);
        var wrapped = await wrapper.WrapAsync(key, Kek);

        var error = await Assert.ThrowsAsync<SecretIntegrityException>(() => wrapper.UnwrapAsync(wrapped, new KeyBinding(purpose, recordId)));

        AssertNoSecrets(error.ToString(), key);
    }

    [Fact]
    public async Task WrapAsync_WrapsTheBindingWithTheKey()
    {
        var name = server.CreateKey();
        var wrapper = CreateWrapper(name);
        var key = RandomNumberGenerator.GetBytes(32);

        var wrapped = await wrapper.WrapAsync(key, Kek);
        var plain = server.Decrypt(name, wrapped.Ciphertext);

        Assert.Equal(WrappedKey.BoundFormat, wrapped.Format);
        // [format 2][purpose 1 = KEK][id length][id][key]
        Assert.Equal([2, 1, 24, .. "kek_aaaaaaaaaaaaaaaaaaaa"u8.ToArray(), .. key], plain);
    }

    [Fact]
    public async Task UnwrapAsync_LegacyBareKeyWrap_ReturnsTheKey()
    {
        var name = server.CreateKey();
        var wrapper = CreateWrapper(name);
        var key = RandomNumberGenerator.GetBytes(32);
        var legacy = new WrappedKey(KeyVaultContractServer.Kid(name, server.CurrentVersion(name)), server.Encrypt(name, key), WrappedKey.LegacyFormat);

        Assert.Equal(key, await wrapper.UnwrapAsync(legacy, Kek));
    }

    [Fact]
    public async Task UnwrapAsync_BoundWrapRelabelledAsLegacy_DoesNotYieldTheKey()
    {
        var name = server.CreateKey();
        var wrapper = CreateWrapper(name);
        var key = RandomNumberGenerator.GetBytes(32);
        var wrapped = await wrapper.WrapAsync(key, Kek);

        // The legacy path returns what was wrapped, binding included: never the bare key (and the ring refuses legacy wraps once upgraded).
        var unwrapped = await wrapper.UnwrapAsync(wrapped with { Format = WrappedKey.LegacyFormat }, new KeyBinding(KeyPurpose.AuditHmac, "auk_aaaaaaaaaaaaaaaaaaaa"));

        Assert.NotEqual(32, unwrapped.Length);
    }

    [Fact]
    public async Task WrapAsync_UnversionedKeyId_ReturnsVersionedKidThatUnwrapUses()
    {
        var name = server.CreateKey();
        var version = server.CurrentVersion(name);
        var wrapper = CreateWrapper(name);

        var wrapped = await wrapper.WrapAsync(RandomNumberGenerator.GetBytes(32), Kek);
        await wrapper.UnwrapAsync(wrapped, Kek);

        Assert.Equal(KeyVaultContractServer.Kid(name, version), wrapped.RootKeyId);
        var sent = server.RequestsFor(name).Where(r => r.Status == 200).ToList();
        Assert.Equal($"/keys/{name}/wrapkey", sent[0].Path);
        Assert.Equal($"/keys/{name}/{version}/unwrapkey", sent[1].Path);
        Assert.All(sent, r => Assert.Equal("?api-version=2025-07-01", r.Query));
    }

    [Fact]
    public async Task UnwrapAsync_AfterKeyRotation_OldKidStillUnwraps()
    {
        var name = server.CreateKey();
        var wrapper = CreateWrapper(name);
        var key = RandomNumberGenerator.GetBytes(32);
        var wrapped = await wrapper.WrapAsync(key, Kek);

        server.RotateKey(name);
        var unwrapped = await wrapper.UnwrapAsync(wrapped, Kek);

        Assert.Equal(key, unwrapped);
    }

    [Fact]
    public async Task WrapAsync_AfterKeyRotation_ReturnsNewVersionKid()
    {
        var name = server.CreateKey();
        var wrapper = CreateWrapper(name);
        var before = await wrapper.WrapAsync(RandomNumberGenerator.GetBytes(32), Kek);

        var newVersion = server.RotateKey(name);
        var key = RandomNumberGenerator.GetBytes(32);
        var after = await wrapper.WrapAsync(key, Kek);

        Assert.Equal(KeyVaultContractServer.Kid(name, newVersion), after.RootKeyId);
        Assert.NotEqual(before.RootKeyId, after.RootKeyId);
        Assert.Equal(key, await wrapper.UnwrapAsync(after, Kek));
    }

    [Fact]
    public async Task WrapAsync_Throttled429_RetriesAndSucceeds()
    {
        var name = server.CreateKey();
        var wrapper = CreateWrapper(name);
        await wrapper.CheckAsync(); // settle the challenge first, so every request below carries a token
        server.ThrottleNext(name, 2);

        var key = RandomNumberGenerator.GetBytes(32);
        var wrapped = await wrapper.WrapAsync(key, Kek);

        var wraps = server.RequestsFor(name).Where(r => r.Path.EndsWith("/wrapkey", StringComparison.Ordinal)).ToList();
        Assert.Equal([429, 429, 200], wraps.Select(r => r.Status));
        Assert.All(wraps, r => Assert.True(r.BodyLength > 0, "a retry must resend the body"));
        Assert.Equal(key, await wrapper.UnwrapAsync(wrapped, Kek));
    }

    [Fact]
    public async Task WrapAsync_ThrottledBeyondRetries_ThrowsWithThrottledCode()
    {
        var name = server.CreateKey();
        var wrapper = CreateWrapper(name);
        server.ThrottleNext(name, 10);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => wrapper.WrapAsync(RandomNumberGenerator.GetBytes(32), Kek));

        Assert.Equal(429, error.Status);
        Assert.Equal("Throttled", error.ErrorCode);
        Assert.Equal(4, server.RequestsFor(name).Count); // the first try and three retries
    }

    [Theory]
    [InlineData("{}", "'kid' is missing")]
    [InlineData("""{"kid":"{kid}"}""", "'value' is missing")]
    [InlineData("""{"kid":"{kid}","value":null}""", "'value' is not a string")]
    [InlineData("""{"kid":"{kid}","value":"not*base64url"}""", "'value' is not base64url")]
    [InlineData("""{"kid":"{kid}","value":""}""", "'value' is not base64url")]
    [InlineData("""{"kid":"https://elsewhere.vault.azure.net/keys/k/0123","value":"AQID"}""", "'kid' is not a version of the configured key")]
    [InlineData("""{"kid":"{kid}","value":"AQID","value":"AQID"}""", "'value' appears twice")]
    [InlineData("<html>Service Unavailable</html>", "not valid JSON")]
    [InlineData("[1,2,3]", "not a JSON object")]
    public async Task WrapAsync_MalformedResponse_ThrowsMalformedResponse(string body, string reason)
    {
        var name = server.CreateKey();
        var wrapper = CreateWrapper(name);
        server.RespondMalformedNext(name, body.Replace("{kid}", KeyVaultContractServer.Kid(name, server.CurrentVersion(name)), StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => wrapper.WrapAsync(RandomNumberGenerator.GetBytes(32), Kek));

        Assert.Equal(KeyVaultRootKeyWrapper.MalformedResponseCode, error.ErrorCode);
        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnwrapAsync_MalformedResponse_ThrowsMalformedResponse()
    {
        var name = server.CreateKey();
        var wrapper = CreateWrapper(name);
        var wrapped = await wrapper.WrapAsync(RandomNumberGenerator.GetBytes(32), Kek);
        server.RespondMalformedNext(name, $$"""{"kid":"{{wrapped.RootKeyId}}"}""");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => wrapper.UnwrapAsync(wrapped, Kek));

        Assert.Equal(KeyVaultRootKeyWrapper.MalformedResponseCode, error.ErrorCode);
        Assert.Contains("'value' is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrapAsync_KeyNotFound_SurfacesCodeWithoutKeyMaterialOrToken()
    {
        var wrapper = CreateWrapper("missing-key");
        var key = RandomNumberGenerator.GetBytes(32);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => wrapper.WrapAsync(key, Kek));

        Assert.Equal(404, error.Status);
        Assert.Equal("KeyNotFound", error.ErrorCode);
        Assert.Contains("KeyNotFound", error.Message, StringComparison.Ordinal);
        AssertNoSecrets(error.ToString(), key);
    }

    [Fact]
    public async Task WrapAsync_KeyNotFound_LogsErrorCodeWithoutKeyMaterial()
    {
        var logger = new RecordingLogger<KeyVaultRootKeyWrapper>();
        var wrapper = CreateWrapper("missing-key", logger: logger);
        var key = RandomNumberGenerator.GetBytes(32);

        await Assert.ThrowsAsync<RequestFailedException>(() => wrapper.WrapAsync(key, Kek));

        var entry = Assert.Single(logger.Entries);
        Assert.Equal((1101, LogLevel.Warning), (entry.EventId, entry.Level));
        Assert.Contains("wrapKey", entry.Message, StringComparison.Ordinal);
        Assert.Contains("KeyNotFound", entry.Message, StringComparison.Ordinal);
        AssertNoSecrets(entry.ToString(), key);
    }

    [Fact]
    public async Task UnwrapAsync_MalformedResponse_LogsReasonWithoutKeyMaterial()
    {
        var name = server.CreateKey();
        var logger = new RecordingLogger<KeyVaultRootKeyWrapper>();
        var wrapper = CreateWrapper(name, logger: logger);
        var key = RandomNumberGenerator.GetBytes(32);
        var wrapped = await wrapper.WrapAsync(key, Kek);
        server.RespondMalformedNext(name, $$"""{"kid":"{{wrapped.RootKeyId}}","value":"{{Base64Url.EncodeToString(key)}}*"}""");

        await Assert.ThrowsAsync<RequestFailedException>(() => wrapper.UnwrapAsync(wrapped, Kek));

        var entry = Assert.Single(logger.Entries);
        Assert.Equal((1103, LogLevel.Warning), (entry.EventId, entry.Level));
        Assert.Contains("'value' is not base64url", entry.Message, StringComparison.Ordinal);
        AssertNoSecrets(entry.ToString(), key);
    }

    [Fact]
    public async Task UnwrapAsync_UnknownVersion_SurfacesKeyNotFoundWithoutKeyMaterial()
    {
        var name = server.CreateKey();
        var wrapper = CreateWrapper(name);
        var key = RandomNumberGenerator.GetBytes(32);
        var wrapped = await wrapper.WrapAsync(key, Kek);
        var unknown = wrapped with { RootKeyId = KeyVaultContractServer.Kid(name, "00000000000000000000000000000000") };

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => wrapper.UnwrapAsync(unknown, Kek));

        Assert.Equal(404, error.Status);
        Assert.Equal("KeyNotFound", error.ErrorCode);
        AssertNoSecrets(error.ToString(), key);
    }

    [Theory]
    [InlineData("https://attacker.example/keys/{name}/{version}")]
    [InlineData("https://other.vault.azure.net/keys/{name}/{version}")]
    [InlineData("https://hubvault.vault.azure.net.attacker.example/keys/{name}/{version}")]
    [InlineData("http://hubvault.vault.azure.net/keys/{name}/{version}")]
    [InlineData("https://hubvault.vault.azure.net:8443/keys/{name}/{version}")]
    [InlineData("https://user@hubvault.vault.azure.net/keys/{name}/{version}")]
    [InlineData("https://hubvault.vault.azure.net/keys/another-key/{version}")]
    [InlineData("https://hubvault.vault.azure.net/keys/{name}")]
    [InlineData("https://hubvault.vault.azure.net/keys/{name}/{version}/unwrapkey")]
    [InlineData("https://hubvault.vault.azure.net/keys/{name}/{version}?x=1")]
    [InlineData("https://hubvault.vault.azure.net/keys/{name}/%2e%2e")]
    [InlineData("https://hubvault.vault.azure.net/secrets/{name}/{version}")]
    [InlineData("local:0123456789abcdef")]
    [InlineData("")]
    public async Task UnwrapAsync_KidNotAVersionOfConfiguredKey_RefusedWithoutSendingRequest(string kid)
    {
        var name = server.CreateKey();
        var dialed = new ConcurrentQueue<string>();
        var credential = new FakeTokenCredential();
        var wrapper = CreateWrapper(name, credential, dialed);
        var foreign = new WrappedKey(
            kid.Replace("{name}", name, StringComparison.Ordinal).Replace("{version}", server.CurrentVersion(name), StringComparison.Ordinal),
            RandomNumberGenerator.GetBytes(256));
        var before = server.Requests.Count;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => wrapper.UnwrapAsync(foreign, Kek));

        Assert.Contains("no request was sent", error.Message, StringComparison.Ordinal);
        Assert.Empty(dialed);
        Assert.Empty(credential.Requests);
        Assert.Equal(before, server.Requests.Count);
    }

    [Fact]
    public async Task UnwrapAsync_KidOnAnotherHost_LogsRefusal()
    {
        var name = server.CreateKey();
        var logger = new RecordingLogger<KeyVaultRootKeyWrapper>();
        var wrapper = CreateWrapper(name, logger: logger);
        var foreign = new WrappedKey($"https://attacker.example/keys/{name}/{server.CurrentVersion(name)}", RandomNumberGenerator.GetBytes(256));

        await Assert.ThrowsAsync<InvalidOperationException>(() => wrapper.UnwrapAsync(foreign, Kek));

        var entry = Assert.Single(logger.Entries);
        Assert.Equal((1104, LogLevel.Error), (entry.EventId, entry.Level));
        Assert.Contains("https://attacker.example/", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCurrentKeyIdAsync_UnversionedKeyId_ReturnsTheKidWrapUsesWithoutWrapping()
    {
        var name = server.CreateKey();
        var wrapper = CreateWrapper(name);

        var current = await wrapper.GetCurrentKeyIdAsync();

        Assert.Equal(KeyVaultContractServer.Kid(name, server.CurrentVersion(name)), current);
        var sent = server.RequestsFor(name).Where(r => r.Status == 200).ToList();
        Assert.Equal([("GET", $"/keys/{name}")], sent.Select(r => (r.Method, r.Path)));
        Assert.Equal(current, (await wrapper.WrapAsync(RandomNumberGenerator.GetBytes(32), Kek)).RootKeyId);
    }

    [Fact]
    public async Task GetCurrentKeyIdAsync_AfterKeyRotation_ReturnsNewVersionKid()
    {
        var name = server.CreateKey();
        var wrapper = CreateWrapper(name);
        var before = await wrapper.GetCurrentKeyIdAsync();

        var newVersion = server.RotateKey(name);
        var after = await wrapper.GetCurrentKeyIdAsync();

        Assert.Equal(KeyVaultContractServer.Kid(name, newVersion), after);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task GetCurrentKeyIdAsync_KidOfAnotherKey_ThrowsMalformedResponse()
    {
        var name = server.CreateKey();
        var wrapper = CreateWrapper(name);
        server.RespondMalformedNext(name, $"{{\"key\":{{\"kid\":\"{KeyVaultContractServer.Kid("another-key", "0123456789abcdef0123456789abcdef")}\"}}}}");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => wrapper.GetCurrentKeyIdAsync());

        Assert.Equal(KeyVaultRootKeyWrapper.MalformedResponseCode, error.ErrorCode);
        Assert.Contains("not a version of the configured key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCurrentKeyIdAsync_MissingKey_ThrowsKeyNotFound()
    {
        var wrapper = CreateWrapper("missing-key");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => wrapper.GetCurrentKeyIdAsync());

        Assert.Equal(404, error.Status);
        Assert.Equal("KeyNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task CheckAsync_ExistingKey_Succeeds()
    {
        var name = server.CreateKey();
        var wrapper = CreateWrapper(name);

        await wrapper.CheckAsync();

        Assert.Contains(server.RequestsFor(name), r => r is { Method: "GET", Status: 200 } && r.Path == $"/keys/{name}");
    }

    [Fact]
    public async Task CheckAsync_MissingKey_ThrowsKeyNotFound()
    {
        var wrapper = CreateWrapper("missing-key");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => wrapper.CheckAsync());

        Assert.Equal(404, error.Status);
        Assert.Equal("KeyNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task CheckAsync_DisabledKey_ThrowsDisabled()
    {
        var wrapper = CreateWrapper(server.CreateKey(enabled: false));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => wrapper.CheckAsync());

        Assert.Contains("disabled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_KeyWithoutWrapOperations_ThrowsNotPermitted()
    {
        var wrapper = CreateWrapper(server.CreateKey(operations: ["sign", "verify"]));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => wrapper.CheckAsync());

        Assert.Contains("wrapKey and unwrapKey", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("http://hubvault.vault.azure.net/keys/hub-root")]
    [InlineData("https://hubvault.vault.azure.net/keys/hub-root/0123456789abcdef0123456789abcdef")]
    [InlineData("https://hubvault.vault.azure.net/secrets/hub-root")]
    [InlineData("https://hubvault.vault.azure.net/keys/hub root")]
    [InlineData("https://hubvault.vault.azure.net/keys/hub-root?api-version=1")]
    public void Constructor_KeyIdNotAnUnversionedHttpsKeyUri_Throws(string? keyId)
    {
        var options = Options.Create(new KeyWrappingOptions
        {
            Provider = KeyWrappingProvider.KeyVault,
            KeyId = keyId is null ? null : new Uri(keyId),
        });

        var error = Assert.Throws<InvalidOperationException>(() => new KeyVaultRootKeyWrapper(options, new FakeTokenCredential()));

        Assert.Contains("KeyWrapping:KeyId", error.Message, StringComparison.Ordinal);
    }

    private KeyVaultRootKeyWrapper CreateWrapper(
        string name, FakeTokenCredential? credential = null, ConcurrentQueue<string>? dialed = null, ILogger<KeyVaultRootKeyWrapper>? logger = null) =>
        new(
            Options.Create(new KeyWrappingOptions { Provider = KeyWrappingProvider.KeyVault, KeyId = KeyVaultContractServer.KeyId(name) }),
            credential ?? new FakeTokenCredential(),
            logger ?? NullLogger<KeyVaultRootKeyWrapper>.Instance,
            server.CreateClientOptions(dialed));

    private static void AssertNoSecrets(string text, byte[] key)
    {
        Assert.DoesNotContain(Base64Url.EncodeToString(key), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(key), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(key), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(KeyVaultContractServer.AccessToken, text, StringComparison.Ordinal);
    }
}
