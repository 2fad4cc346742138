using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Integrations.Core.Identity.Passwords;

/// <summary>
/// A stored password hash in the PHC string format: <c>$argon2id$v=19$m=19456,t=2,p=1$&lt;salt&gt;$&lt;hash&gt;</c>, salt
/// (16 bytes) and hash (32 bytes) in standard base64 without padding, as the reference implementation and libsodium write it.
/// The algorithm, version and parameters travel with the hash, so raising the parameters (or one day changing the
/// algorithm) leaves every stored hash readable and lets a login tell that it is due for a rehash.
/// </summary>
/// <remarks>
/// <see cref="TryParse"/> is strict, because the string comes from storage that someone other than the hub may have
/// written: only <c>argon2id</c> version 19, parameters in the order m, t, p with no leading zeros, canonical base64, exact
/// salt and hash lengths, and parameters inside the hub's limits — a row asking for 4 GiB or a million passes must not make a
/// login burn the server (<see cref="MaxMemoryKiB"/>, <see cref="MaxIterations"/>, <see cref="MaxWork"/>, one lane).
/// The value holds no password but is still offline-crackable: <see cref="ToString"/> shows only the parameters.
/// </remarks>
public sealed class PasswordHash
{
    public const string Algorithm = "argon2id";

    /// <summary>Argon2 version 1.3 (0x13).</summary>
    public const int Version = 19;

    public const int SaltSize = 16;

    public const int HashSize = 32;

    /// <summary>The least memory a stored hash may name (RFC 9106 §3.1: at least 8 KiB per lane).</summary>
    public const int MinStoredMemoryKiB = 8;

    /// <summary>The least memory new hashes may use (<c>Auth:PasswordHashing:MemoryKiB</c>): OWASP's 7 MiB.</summary>
    public const int MinMemoryKiB = 7168;

    /// <summary>The most memory a stored hash (or the settings) may name: 256 MiB.</summary>
    public const int MaxMemoryKiB = 262_144;

    /// <summary>The most passes a stored hash (or the settings) may name.</summary>
    public const int MaxIterations = 64;

    /// <summary>The most memory × passes (KiB) a stored hash may name: 1 GiB of passes, about 27 times the default's cost.</summary>
    public const long MaxWork = 1L << 20;

    /// <summary>Longer strings are not parsed at all (the format with these sizes is under 110 characters).</summary>
    private const int MaxEncodedLength = 160;

    public PasswordHash(Argon2idParameters parameters, byte[] salt, byte[] hash)
    {
        ArgumentNullException.ThrowIfNull(salt);
        ArgumentNullException.ThrowIfNull(hash);
        if (salt.Length != SaltSize || hash.Length != HashSize)
        {
            throw new ArgumentException($"An Argon2id password hash has a {SaltSize}-byte salt and a {HashSize}-byte hash.");
        }

        if (!WithinLimits(parameters))
        {
            throw new ArgumentOutOfRangeException(nameof(parameters), parameters.ToString(), "Argon2id parameters outside the hub's limits.");
        }

        Parameters = parameters;
        Salt = salt;
        Hash = hash;
    }

    public Argon2idParameters Parameters { get; }

    public byte[] Salt { get; }

    public byte[] Hash { get; }

    /// <summary>Whether a stored hash may name <paramref name="parameters"/>: one lane, memory and passes inside the limits.</summary>
    public static bool WithinLimits(Argon2idParameters parameters) =>
        parameters.Parallelism == 1
        && parameters.MemoryKiB is >= MinStoredMemoryKiB and <= MaxMemoryKiB
        && parameters.Iterations is >= 1 and <= MaxIterations
        && (long)parameters.MemoryKiB * parameters.Iterations <= MaxWork;

    /// <summary>The PHC string to store.</summary>
    public string Encode() =>
        string.Create(CultureInfo.InvariantCulture,
            $"${Algorithm}$v={Version}$m={Parameters.MemoryKiB},t={Parameters.Iterations},p={Parameters.Parallelism}${ToB64(Salt)}${ToB64(Hash)}");

    /// <summary>Reads a stored PHC string; false for anything but a canonical Argon2id v19 hash within the limits.</summary>
    public static bool TryParse(string? encoded, [NotNullWhen(true)] out PasswordHash? hash)
    {
        hash = null;
        if (encoded is null || encoded.Length > MaxEncodedLength)
        {
            return false;
        }

        // "", "argon2id", "v=19", "m=…,t=…,p=…", salt, hash
        var parts = encoded.Split('$');
        if (parts.Length != 6 || parts[0].Length != 0 || parts[1] != Algorithm || parts[2] != "v=19")
        {
            return false;
        }

        var fields = parts[3].Split(',');
        if (fields.Length != 3
            || !TryField(fields[0], "m=", out var m) || !TryField(fields[1], "t=", out var t) || !TryField(fields[2], "p=", out var p))
        {
            return false;
        }

        var parameters = new Argon2idParameters(m, t, p);
        if (!WithinLimits(parameters) || !TryFromB64(parts[4], SaltSize, out var salt) || !TryFromB64(parts[5], HashSize, out var digest))
        {
            return false;
        }

        hash = new PasswordHash(parameters, salt, digest);
        return true;
    }

    public override string ToString() => $"PasswordHash({Algorithm} {Parameters})";

    private static bool TryField(string field, string name, out int value)
    {
        value = 0;
        var digits = field.AsSpan();
        if (!digits.StartsWith(name, StringComparison.Ordinal))
        {
            return false;
        }

        digits = digits[name.Length..];
        // Digits only, no sign, no leading zero, at most 9 digits (so no overflow): one spelling per value.
        if (digits.Length is 0 or > 9 || (digits[0] == '0' && digits.Length > 1))
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    private static string ToB64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool TryFromB64(string text, int size, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        // Unpadded base64 of n bytes has exactly ceil(4n/3) characters.
        if (text.Length != ((size * 4) + 2) / 3 || text.Contains('=', StringComparison.Ordinal))
        {
            return false;
        }

        var padded = text + new string('=', (4 - (text.Length % 4)) % 4);
        var buffer = new byte[size];
        if (Base64.IsValid(padded, out var length) && length == size && Convert.TryFromBase64String(padded, buffer, out var written) && written == size
            && ToB64(buffer) == text)
        {
            bytes = buffer;
            return true;
        }

        return false;
    }
}
