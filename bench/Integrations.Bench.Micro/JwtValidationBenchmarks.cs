using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Integrations.Core.Identity;
using Integrations.Core.Identity.Tokens;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Integrations.Bench.Micro;

/// <summary>
/// What a user's JWT costs per request against what an API key costs (issue 11: "JWT validation per request: added p50
/// against an API-key request in the same run ≤ 50 µs"). Baseline: the API key's per-request work before its cached row
/// lookup — shape and checksum (<see cref="ApiKeyToken.IsWellFormed"/>), SHA-256 and the keyed lookup HMAC. Measured: the
/// <see cref="AccessTokenValidator.ValidateAsync"/> of a token the issuer made — seen before (the verified-token cache: what
/// a client reusing its token pays) and at first sight (cache off: shape, header, ES256 verify, claims) — and the bare ES256
/// verification of the same signing input, so the parsing overhead shows on its own.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
[MedianColumn]
public class JwtValidationBenchmarks : IDisposable
{
    private AccessTokenSigningKeys _keys = null!;
    private AccessTokenValidator _validator = null!;
    private AccessTokenValidator _uncached = null!;
    private AuthorityKey _authority = null!;
    private ECDsa _verifier = null!;
    private string _token = "";
    private string _apiKey = "";
    private byte[] _signingInput = [];
    private byte[] _signature = [];

    [GlobalSetup]
    public void Setup()
    {
        var wrapping = Options.Create(new KeyWrappingOptions { RootKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
        var tokens = Options.Create(new AccessTokenOptions { Issuer = "https://hub.example.com" });
        var root = new LocalRootKeyWrapper(wrapping);
        // A real clock: the validator's hot path (a fresh key set) is what every request takes; the set is re-read every 30 s.
        _keys = new AccessTokenSigningKeys(new MemoryKeyRecords(), root, TimeProvider.System, tokens, wrapping, NullLogger<AccessTokenSigningKeys>.Instance);
        _validator = new AccessTokenValidator(_keys, tokens, TimeProvider.System, NullLogger<AccessTokenValidator>.Instance);
        _uncached = new AccessTokenValidator(
            _keys, Options.Create(new AccessTokenOptions { Issuer = "https://hub.example.com", VerifiedTokenCacheSize = 0 }), TimeProvider.System,
            NullLogger<AccessTokenValidator>.Instance);
        var issued = new AccessTokenIssuer(_keys, tokens, TimeProvider.System)
            .IssueAsync(new AccessTokenClaims("usr_k3x9a2b4c5d6e7f8g9h0", "org_k3x9a2b4c5d6e7f8g9h0", "member", "ses_k3x9a2b4c5d6e7f8g9h0")).AsTask().GetAwaiter().GetResult();
        _token = issued.Token;
        _authority = new AuthorityKey("ahk_bench", RandomNumberGenerator.GetBytes(32));
        _apiKey = ApiKeyToken.Generate().Token;

        var set = _keys.GetAsync().AsTask().GetAwaiter().GetResult();
        _verifier = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = System.Buffers.Text.Base64Url.DecodeFromChars(set.Signer.X), Y = System.Buffers.Text.Base64Url.DecodeFromChars(set.Signer.Y) },
        });
        var last = _token.LastIndexOf('.');
        _signingInput = Encoding.ASCII.GetBytes(_token[..last]);
        _signature = System.Buffers.Text.Base64Url.DecodeFromChars(_token.AsSpan(last + 1));
        if (!_validator.ValidateAsync(_token).AsTask().GetAwaiter().GetResult().Succeeded)
        {
            throw new InvalidOperationException("The benchmark token does not validate.");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _keys.Dispose();
        _authority.Dispose();
        _verifier.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, Description = "API key: checksum + SHA-256 + lookup HMAC")]
    public string ApiKey() =>
        ApiKeyToken.IsWellFormed(_apiKey) ? _authority.LookupHash(ApiKeyToken.Digest(_apiKey)) : throw new InvalidOperationException();

    [Benchmark(Description = "JWT: ValidateAsync, token seen before (cached)")]
    public async Task<AccessTokenPrincipal?> Jwt() => (await _validator.ValidateAsync(_token).ConfigureAwait(false)).Principal;

    [Benchmark(Description = "JWT: ValidateAsync, first sight (full verify)")]
    public async Task<AccessTokenPrincipal?> JwtFirstSight() => (await _uncached.ValidateAsync(_token).ConfigureAwait(false)).Principal;

    [Benchmark(Description = "ES256 verify alone (same input)")]
    public bool Es256() => _verifier.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA256);

    private sealed class MemoryKeyRecords : IKeyRecordStore
    {
        private readonly ConcurrentDictionary<string, KeyRecord> _records = new(StringComparer.Ordinal);

        public Task<IReadOnlyList<KeyRecord>> ListAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<KeyRecord>>([.. _records.Values]);

        public Task<KeyRecord?> GetAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult(_records.GetValueOrDefault(id));

        public Task<WriteOutcome> TryAddAsync(KeyRecord record, CancellationToken cancellationToken = default) =>
            Task.FromResult(_records.TryAdd(record.Id, record) ? WriteOutcome.Written : WriteOutcome.Conflict);

        public Task<WriteOutcome> TryReplaceAsync(KeyRecord record, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<WriteOutcome> TryDeleteAsync(KeyRecord record, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<KeyRingState?> GetStateAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<WriteOutcome> TrySetStateAsync(KeyRingState state, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
