using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity.Passwords;

/// <summary>
/// <see cref="IPasswordHasher"/> with Argon2id (libsodium through NSec) and today's <c>Auth:PasswordHashing</c> parameters.
/// </summary>
/// <remarks>
/// Each call computes Argon2id exactly once: <see cref="Verify"/> with the stored hash's own parameters (or, for a stored
/// value it cannot read, against the dummy), <see cref="VerifyAgainstDummy"/> against a dummy hash of a random password made
/// once per process with today's parameters (on first use). A login for an unknown email therefore costs what a wrong
/// password costs. Passwords are NFKC-normalised and UTF-8 encoded into a buffer that is zeroed afterwards.
/// </remarks>
public sealed partial class Argon2idPasswordHasher : IPasswordHasher
{
    private readonly IOptions<PasswordHashingOptions> _options;
    private readonly IArgon2id _argon2;
    private readonly ILogger<Argon2idPasswordHasher> _logger;
    private readonly Lazy<PasswordHash> _dummy;

    public Argon2idPasswordHasher(IOptions<PasswordHashingOptions> options, ILogger<Argon2idPasswordHasher> logger)
        : this(options, NSecArgon2id.Instance, logger)
    {
    }

    internal Argon2idPasswordHasher(IOptions<PasswordHashingOptions> options, IArgon2id argon2, ILogger<Argon2idPasswordHasher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _argon2 = argon2;
        _logger = logger;
        _dummy = new Lazy<PasswordHash>(CreateDummy, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var parameters = _options.Value.Parameters;
        var salt = RandomNumberGenerator.GetBytes(PasswordHash.SaltSize);
        return new PasswordHash(parameters, salt, Derive(password, salt, parameters)).Encode();
    }

    public PasswordVerification Verify(string password, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!PasswordHash.TryParse(storedHash, out var stored))
        {
            // Never the stored value itself: it may be a real (if damaged) hash.
            Log.UnreadableHash(_logger);
            VerifyAgainstDummy(password);
            return PasswordVerification.Failed;
        }

        var valid = Matches(password, stored);
        return new PasswordVerification(valid, valid && stored.Parameters.IsWeakerThan(_options.Value.Parameters));
    }

    public PasswordVerification VerifyAgainstDummy(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        // The result is ignored on purpose: only the work must happen. (The dummy's password is random and discarded.)
        _ = Matches(password, _dummy.Value);
        return PasswordVerification.Failed;
    }

    private bool Matches(string password, PasswordHash stored)
    {
        var computed = Derive(password, stored.Salt, stored.Parameters);
        try
        {
            return CryptographicOperations.FixedTimeEquals(computed, stored.Hash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(computed);
        }
    }

    private byte[] Derive(string password, byte[] salt, Argon2idParameters parameters)
    {
        var normalized = UnicodeText.Nfkc(password);
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(normalized.Length)];
        var output = new byte[PasswordHash.HashSize];
        try
        {
            var length = Encoding.UTF8.GetBytes(normalized, bytes);
            _argon2.DeriveBytes(bytes.AsSpan(0, length), salt, parameters, output);
            return output;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private PasswordHash CreateDummy()
    {
        var parameters = _options.Value.Parameters;
        var salt = RandomNumberGenerator.GetBytes(PasswordHash.SaltSize);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var dummy = new PasswordHash(parameters, salt, Derive(secret, salt, parameters));
        Log.DummyCreated(_logger, parameters);
        return dummy;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9600, Level = LogLevel.Warning,
            Message = "A stored password hash is not a readable Argon2id hash within the hub's limits; the password check fails. Reset the account's password.")]
        public static partial void UnreadableHash(ILogger logger);

        [LoggerMessage(EventId = 9601, Level = LogLevel.Debug, Message = "Dummy password hash for unknown accounts made with Argon2id {Parameters}.")]
        public static partial void DummyCreated(ILogger logger, Argon2idParameters parameters);
    }
}
