using Integrations.Core.Identity.Passwords;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Tests.Identity.Passwords;

public sealed class Argon2idPasswordHasherTests
{
    // Small parameters keep the suite fast; the format and the logic do not depend on the cost.
    private static readonly PasswordHashingOptions Fast = new() { MemoryKiB = 1024, Iterations = 1, Parallelism = 1 };

    private readonly CountingArgon2id _counter = new(NSecArgon2id.Instance);

    [Fact]
    public void Hash_ThenVerify_RoundTrips()
    {
        var hasher = Hasher(Fast);

        var stored = hasher.Hash("vinyl otter cactus lantern");
        var result = hasher.Verify("vinyl otter cactus lantern", stored);

        Assert.Equal(new PasswordVerification(true, false), result);
    }

    [Fact]
    public void Hash_WritesPhcStringWithTodaysParameters()
    {
        var stored = Hasher(Fast).Hash("vinyl otter cactus lantern");

        Assert.Matches(@"^\$argon2id\$v=19\$m=1024,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$", stored);
        Assert.DoesNotContain("vinyl", stored, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_SamePasswordTwice_DiffersBySalt()
    {
        var hasher = Hasher(Fast);

        Assert.NotEqual(hasher.Hash("vinyl otter cactus lantern"), hasher.Hash("vinyl otter cactus lantern"));
    }

    [Fact]
    public void Verify_WrongPassword_IsNotValid()
    {
        var hasher = Hasher(Fast);
        var stored = hasher.Hash("vinyl otter cactus lantern");

        Assert.Equal(PasswordVerification.Failed, hasher.Verify("vinyl otter cactus lanterN", stored));
        Assert.Equal(PasswordVerification.Failed, hasher.Verify("", stored));
    }

    [Fact]
    public void Verify_NfkcEquivalentSpelling_IsValid()
    {
        var hasher = Hasher(Fast);
        var stored = hasher.Hash("Ｐａｓｓ ﬁsh 42");

        Assert.True(hasher.Verify("Pass fish 42", stored).Valid);
    }

    [Theory]
    [InlineData("parameters")]
    [InlineData("salt")]
    [InlineData("hash")]
    public void Verify_TamperedHashString_IsNotValid(string part)
    {
        var hasher = Hasher(Fast);
        var stored = hasher.Hash("vinyl otter cactus lantern");
        var fields = stored.Split('$'); // "", "argon2id", "v=19", parameters, salt, hash
        switch (part)
        {
            case "parameters":
                fields[3] = "m=1025,t=1,p=1";
                break;
            case "salt":
                fields[4] = (fields[4][0] == 'A' ? "B" : "A") + fields[4][1..];
                break;
            default:
                fields[5] = (fields[5][0] == 'A' ? "B" : "A") + fields[5][1..];
                break;
        }

        var tampered = string.Join('$', fields);

        Assert.True(PasswordHash.TryParse(tampered, out _));
        Assert.False(hasher.Verify("vinyl otter cactus lantern", tampered).Valid);
    }

    [Fact]
    public void Verify_HashFlippedInOneBit_IsNotValid()
    {
        var hasher = Hasher(Fast);
        var parsed = Parse(hasher.Hash("vinyl otter cactus lantern"));
        var flipped = (byte[])parsed.Hash.Clone();
        flipped[31] ^= 0x01;

        var tampered = new PasswordHash(parsed.Parameters, parsed.Salt, flipped).Encode();

        Assert.False(hasher.Verify("vinyl otter cactus lantern", tampered).Valid);
    }

    [Fact]
    public void Verify_HashMadeWithLowerParameters_NeedsRehash()
    {
        var old = Hasher(new PasswordHashingOptions { MemoryKiB = 512, Iterations = 1, Parallelism = 1 }).Hash("vinyl otter cactus lantern");
        var current = Hasher(new PasswordHashingOptions { MemoryKiB = 1024, Iterations = 2, Parallelism = 1 });

        var result = current.Verify("vinyl otter cactus lantern", old);
        var rehashed = current.Hash("vinyl otter cactus lantern");

        Assert.Equal(new PasswordVerification(true, true), result);
        Assert.Equal(new PasswordVerification(true, false), current.Verify("vinyl otter cactus lantern", rehashed));
    }

    [Fact]
    public void Verify_LowerParametersButWrongPassword_DoesNotAskForRehash()
    {
        var old = Hasher(new PasswordHashingOptions { MemoryKiB = 512, Iterations = 1, Parallelism = 1 }).Hash("vinyl otter cactus lantern");

        Assert.Equal(PasswordVerification.Failed, Hasher(FastTwoPasses()).Verify("wrong", old));
    }

    [Fact]
    public void Verify_HashMadeWithHigherParameters_IsValidWithoutRehash()
    {
        var stronger = Hasher(new PasswordHashingOptions { MemoryKiB = 2048, Iterations = 2, Parallelism = 1 }).Hash("vinyl otter cactus lantern");

        Assert.Equal(new PasswordVerification(true, false), Hasher(Fast).Verify("vinyl otter cactus lantern", stronger));
    }

    [Theory]
    [InlineData("$argon2id$v=19$m=4194304,t=2,p=1$")] // 4 GiB
    [InlineData("$argon2id$v=19$m=262145,t=1,p=1$")] // just over 256 MiB
    [InlineData("$argon2id$v=19$m=19456,t=1000000,p=1$")] // a million passes
    [InlineData("$argon2id$v=19$m=65536,t=17,p=1$")] // each inside its limit, together over 1 GiB of passes
    [InlineData("$argon2id$v=19$m=19456,t=2,p=4$")] // more lanes than libsodium computes
    [InlineData("$argon2id$v=19$m=19456,t=0,p=1$")]
    [InlineData("$argon2id$v=19$m=4,t=2,p=1$")]
    [InlineData("$argon2id$v=19$m=99999999999,t=2,p=1$")]
    public void TryParse_AbsurdParameters_AreRefusedAndCostNoComputationAtThoseParameters(string prefix)
    {
        var encoded = prefix + "c29tZXNhbHRzb21lc2FsdA$" + new string('A', 43);
        var hasher = Hasher(Fast);

        var parsed = PasswordHash.TryParse(encoded, out _);
        var result = hasher.Verify("password", encoded);

        Assert.False(parsed);
        Assert.Equal(PasswordVerification.Failed, result);
        Assert.All(_counter.Calls, call => Assert.Equal(Fast.Parameters, call));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a hash")]
    [InlineData("$argon2i$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // argon2i
    [InlineData("$argon2id$v=16$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // version 1.0
    [InlineData("$argon2id$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // no version
    [InlineData("$argon2id$v=19$t=1,m=1024,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // order
    [InlineData("$argon2id$v=19$m=01024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // leading zero
    [InlineData("$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 8-byte salt
    [InlineData("$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // padding
    [InlineData("$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")] // non-canonical last char
    [InlineData("$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 31-byte hash
    [InlineData("$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA$")] // trailing field
    [InlineData("$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-_AAA")] // base64url
    public void TryParse_MalformedString_IsRefused(string encoded)
    {
        Assert.False(PasswordHash.TryParse(encoded, out _));
        Assert.Equal(PasswordVerification.Failed, Hasher(Fast).Verify("password", encoded));
    }

    [Fact]
    public async Task WarmUp_AtStart_TheFirstUnknownAddressCostsOneComputationLikeAWrongPassword()
    {
        var cold = Hasher(Fast);
        cold.VerifyAgainstDummy("vinyl otter cactus lantern");
        var coldFirst = _counter.Calls.Count;
        _counter.Reset();
        var warm = Hasher(Fast);
        await new PasswordHasherWarmUp(warm).StartAsync(CancellationToken.None);
        _counter.Reset();

        warm.VerifyAgainstDummy("vinyl otter cactus lantern");

        // Without the warm-up the first one also makes the dummy (two computations): once per start, a timing tell.
        Assert.Equal(2, coldFirst);
        Assert.Single(_counter.Calls);
    }

    [Fact]
    public void Verify_UnreadableStoredHash_LogsAWarningWithoutTheValueOrThePassword()
    {
        var logger = new CapturingLogger();
        var hasher = new Argon2idPasswordHasher(Options.Create(Fast), _counter, logger);
        const string stored = "$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

        hasher.Verify("vinyl otter cactus lantern", stored);

        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal(9600, warning.EventId.Id);
        Assert.All(logger.Entries, e => Assert.DoesNotContain("c29tZXNhbHRz", e.Message, StringComparison.Ordinal));
        Assert.All(logger.Entries, e => Assert.DoesNotContain("vinyl", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void TryParse_WhatEncodeWrites_RoundTrips()
    {
        var stored = Hasher(Fast).Hash("vinyl otter cactus lantern");

        Assert.True(PasswordHash.TryParse(stored, out var parsed));
        Assert.Equal(stored, parsed.Encode());
        Assert.Equal(Fast.Parameters, parsed.Parameters);
    }

    [Fact]
    public void ToString_ShowsParametersOnly()
    {
        var parsed = Parse(Hasher(Fast).Hash("vinyl otter cactus lantern"));

        Assert.Equal("PasswordHash(argon2id m=1024,t=1,p=1)", parsed.ToString());
    }

    // Known answers from libsodium's own test suite (test/default/pwhash_argon2id.c, tv3 entries 2 and 4, which
    // crypto_pwhash_str_verify accepts): Argon2id v1.3, one lane, 16-byte salts, no secret and no associated data — the
    // inputs libsodium takes. RFC 9106 §5.3's Argon2id vector needs 4 lanes, a secret and associated data, and the
    // reference implementation's test.c vectors use an 8-byte salt: libsodium (and so NSec) accepts neither.
    [Theory]
    [InlineData("^T5H$JYt39n%K*j:W]!1s?vg!:jGi]Ax?..l7[p0v:1jHTpla9;]bUN;?bWyCbtqg ",
        "$argon2id$v=19$m=4096,t=19,p=1$PkEgMTYtYnl0ZXMgc2FsdA$ltB/ue1kPtBMBGfsysMpPigE6hiNEKZ9vs8vLNVDQGA")]
    [InlineData("", "$argon2id$v=19$m=4882,t=2,p=1$bA81arsiXysd3WbTRzmEOw$Nm8QBM+7RH1DXo9rvp5cwKEOOOfD2g6JuxlXihoNcpE")]
    public void Verify_LibsodiumKnownAnswer_IsValid(string password, string encoded)
    {
        var hasher = Hasher(Fast);

        Assert.True(hasher.Verify(password, encoded).Valid);
        Assert.False(hasher.Verify(password + "x", encoded).Valid);
    }

    [Fact]
    public void Verify_LibsodiumKnownAnswer_SaltIsTheSixteenByteString()
    {
        Assert.True(PasswordHash.TryParse("$argon2id$v=19$m=4096,t=19,p=1$PkEgMTYtYnl0ZXMgc2FsdA$ltB/ue1kPtBMBGfsysMpPigE6hiNEKZ9vs8vLNVDQGA", out var parsed));

        Assert.Equal(">A 16-bytes salt"u8.ToArray(), parsed.Salt);
        Assert.Equal(new Argon2idParameters(4096, 19, 1), parsed.Parameters);
    }

    [Fact]
    public void UnknownUserAndWrongPassword_CostTheSameNumberOfComputations()
    {
        var hasher = Hasher(Fast);
        var stored = hasher.Hash("vinyl otter cactus lantern");
        hasher.VerifyAgainstDummy("warm-up"); // the dummy is made once per process, on first use
        _counter.Reset();

        hasher.Verify("wrong password", stored);
        var wrongPassword = _counter.Calls.ToList();
        _counter.Reset();
        hasher.VerifyAgainstDummy("wrong password");
        var unknownUser = _counter.Calls.ToList();
        _counter.Reset();
        hasher.Verify("wrong password", "garbage in storage");
        var unreadableHash = _counter.Calls.ToList();

        Assert.Single(wrongPassword);
        Assert.Equal(wrongPassword, unknownUser);
        Assert.Equal(wrongPassword, unreadableHash);
    }

    [Fact]
    public void VerifyAgainstDummy_UsesTodaysParameters_AndNeverMatches()
    {
        var options = new PasswordHashingOptions { MemoryKiB = 2048, Iterations = 2, Parallelism = 1 };
        var hasher = Hasher(options);

        var first = hasher.VerifyAgainstDummy("anything");
        var second = hasher.VerifyAgainstDummy("");

        Assert.Equal(PasswordVerification.Failed, first);
        Assert.Equal(PasswordVerification.Failed, second);
        // One computation to make the dummy, then one per call; all at today's parameters.
        Assert.Equal(3, _counter.Calls.Count);
        Assert.All(_counter.Calls, call => Assert.Equal(options.Parameters, call));
    }

    [Fact]
    public void Defaults_AreOwaspArgon2id()
    {
        Assert.Equal(new Argon2idParameters(19_456, 2, 1), new PasswordHashingOptions().Parameters);
    }

    [Theory]
    [InlineData(19_456, 2, 1, true)]
    [InlineData(7_168, 5, 1, true)]
    [InlineData(12_288, 3, 1, true)]
    [InlineData(47_104, 1, 1, true)]
    [InlineData(19_456, 1, 1, false)] // below OWASP's weakest equivalent
    [InlineData(7_168, 4, 1, false)]
    [InlineData(262_144, 5, 1, false)] // over 1 GiB of passes
    public void OptionsValidator_WorkBounds(int memoryKiB, int iterations, int parallelism, bool valid)
    {
        var result = new PasswordHashingOptionsValidator().Validate(null,
            new PasswordHashingOptions { MemoryKiB = memoryKiB, Iterations = iterations, Parallelism = parallelism });

        Assert.Equal(valid, result.Succeeded);
    }

    private Argon2idPasswordHasher Hasher(PasswordHashingOptions options) =>
        new(Options.Create(options), _counter, NullLogger<Argon2idPasswordHasher>.Instance);

    private static PasswordHashingOptions FastTwoPasses() => new() { MemoryKiB = 1024, Iterations = 2, Parallelism = 1 };

    private static PasswordHash Parse(string encoded)
    {
        Assert.True(PasswordHash.TryParse(encoded, out var parsed));
        return parsed;
    }

    /// <summary>Counts Argon2id computations (and their parameters) and passes them on.</summary>
    private sealed class CountingArgon2id(IArgon2id inner) : IArgon2id
    {
        private readonly List<Argon2idParameters> _calls = [];

        public IReadOnlyList<Argon2idParameters> Calls
        {
            get
            {
                lock (_calls)
                {
                    return [.. _calls];
                }
            }
        }

        public void Reset()
        {
            lock (_calls)
            {
                _calls.Clear();
            }
        }

        public void DeriveBytes(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2idParameters parameters, Span<byte> output)
        {
            lock (_calls)
            {
                _calls.Add(parameters);
            }

            inner.DeriveBytes(password, salt, parameters, output);
        }
    }

    private sealed class CapturingLogger : ILogger<Argon2idPasswordHasher>
    {
        public List<(LogLevel Level, EventId EventId, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, eventId, formatter(state, exception)));
    }
}
