using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Integrations.Core.Crypto;
using Integrations.Core.Identity.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Core.Tests.Identity.Tokens;

/// <summary>
/// One hub instance's token services over a shared key store and root key: two of them over the same store are two
/// instances of one deployment (each with its own clock and settings when a test needs them to differ).
/// </summary>
internal sealed class TokenInstance : IDisposable
{
    public const string Issuer = "https://hub.example.com";
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private readonly LocalRootKeyWrapper _root;

    public TokenInstance(
        InMemoryKeyRecordStore? store = null, string? rootKey = null, FakeTimeProvider? time = null, Action<AccessTokenOptions>? configure = null,
        ILogger<AccessTokenValidator>? validatorLogger = null)
    {
        Store = store ?? new InMemoryKeyRecordStore();
        RootKey = rootKey ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Time = time ?? new FakeTimeProvider(Start);
        var settings = new AccessTokenOptions { Issuer = Issuer };
        configure?.Invoke(settings);
        Options = settings;
        var wrapping = Microsoft.Extensions.Options.Options.Create(new KeyWrappingOptions { RootKey = RootKey });
        _root = new LocalRootKeyWrapper(wrapping);
        var options = Microsoft.Extensions.Options.Options.Create(settings);
        Keys = new AccessTokenSigningKeys(Store, _root, Time, options, wrapping, NullLogger<AccessTokenSigningKeys>.Instance);
        TokenIssuer = new AccessTokenIssuer(Keys, options, Time);
        Validator = new AccessTokenValidator(Keys, options, Time, validatorLogger ?? NullLogger<AccessTokenValidator>.Instance);
        Lifecycle = new AccessTokenKeyLifecycle(Store, _root, Keys, Time, NullLogger<AccessTokenKeyLifecycle>.Instance);
    }

    public InMemoryKeyRecordStore Store { get; }

    public string RootKey { get; }

    public FakeTimeProvider Time { get; }

    public AccessTokenOptions Options { get; }

    public AccessTokenSigningKeys Keys { get; }

    public AccessTokenIssuer TokenIssuer { get; }

    public AccessTokenValidator Validator { get; }

    public AccessTokenKeyLifecycle Lifecycle { get; }

    /// <summary>A second instance of the same deployment: same store and root key, its own clock (or a shared one).</summary>
    public TokenInstance Sibling(FakeTimeProvider? time = null, Action<AccessTokenOptions>? configure = null) =>
        new(Store, RootKey, time ?? Time, configure);

    public static AccessTokenClaims Claims(string role = "member") => new("usr_alice", "org_acme", role, "ses_one");

    public ValueTask<IssuedAccessToken> IssueAsync(string role = "member") => TokenIssuer.IssueAsync(Claims(role));

    public async Task<AccessTokenFailure> RefusalOf(string token)
    {
        var result = await Validator.ValidateAsync(token);
        Assert.False(result.Succeeded);
        Assert.Null(result.Principal);
        return result.Failure;
    }

    /// <summary>
    /// The hub's current private signing key, unwrapped as someone holding the root key could: lets a test sign payloads the
    /// issuer would never write, so what is tested is the claim check, not the signature.
    /// </summary>
    public async Task<(string Kid, ECDsa Key)> HubSigningKeyAsync()
    {
        var kid = (await Keys.GetAsync()).Signer.Id;
        var record = (await Store.GetAsync(kid))!;
        var pkcs8 = await _root.UnwrapAsync(record.Wrapped, new KeyBinding(KeyPurpose.AccessTokenSigning, kid));
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(pkcs8, out _);
        return (kid, key);
    }

    /// <summary>Signs <paramref name="header"/> and <paramref name="payload"/> (JSON) ES256 with <paramref name="key"/>.</summary>
    public static string Sign(string header, string payload, ECDsa key)
    {
        var input = B64(header) + "." + B64(payload);
        return input + "." + Base64Url.EncodeToString(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
    }

    public static string Header(string kid, string alg = "ES256", string typ = "at+jwt") => $$"""{"alg":"{{alg}}","kid":"{{kid}}","typ":"{{typ}}"}""";

    /// <summary>A payload with every claim, issued now (<paramref name="iat"/>) for two hours unless told otherwise.</summary>
    public static string Payload(long iat, long? exp = null, string iss = Issuer, string aud = "integrations-hub", string? omit = null, string extra = "")
    {
        var claims = new List<string>
        {
            $"\"iss\":\"{iss}\"", $"\"aud\":\"{aud}\"", "\"sub\":\"usr_alice\"", "\"org\":\"org_acme\"", "\"role\":\"member\"", "\"sid\":\"ses_one\"",
            "\"jti\":\"j1\"", $"\"iat\":{iat}", $"\"exp\":{exp ?? iat + 7200}",
        };
        claims.RemoveAll(c => omit is not null && c.StartsWith($"\"{omit}\"", StringComparison.Ordinal));
        return "{" + string.Join(",", claims) + extra + "}";
    }

    public static string B64(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    public static string Decode(string segment) => Encoding.UTF8.GetString(Base64Url.DecodeFromChars(segment));

    public void Dispose()
    {
        Keys.Dispose();
        _root.Dispose();
    }
}
