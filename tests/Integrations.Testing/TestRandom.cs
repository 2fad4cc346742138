using System.Security.Cryptography;

namespace Integrations.Testing;

/// <summary>
/// Random test data: unique names, prefixes, canary values. Taken from <see cref="RandomNumberGenerator"/>:
/// <c>Guid.NewGuid()</c> and <c>System.Random</c> are banned (BannedSymbols.txt) so that code under test receives an
/// injected <c>IRandomSource</c>, and test data has no need to be predictable.
/// </summary>
public static class TestRandom
{
    /// <summary><paramref name="bytes"/> random bytes as lower-case hex (so twice as many characters).</summary>
    public static string Hex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
