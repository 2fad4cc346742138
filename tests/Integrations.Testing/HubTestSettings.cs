using System.Security.Cryptography;

namespace Integrations.Testing;

/// <summary>
/// The configuration of a hub under test, built in one place for every test project and the load bench: storage (a
/// connection string and a prefix of its own), a fresh local root key, an admin key, and — unless
/// <see cref="FastIntervals"/> is off — intervals short enough that tests need not wait.
/// </summary>
/// <param name="ConnectionString">The storage connection string, usually <see cref="AzuriteInstance.ConnectionString"/>.</param>
public sealed record HubTestSettings(string ConnectionString)
{
    /// <summary>The storage prefix: tables, queues and containers are named from it, so hubs on one Azurite do not meet.</summary>
    public string Prefix { get; init; } = AzuriteInstance.NewPrefix();

    /// <summary>The local root key (32 bytes, base64). Pass the same key to get a second instance over the same storage.</summary>
    public string RootKey { get; init; } = NewRootKey();

    /// <summary>The platform admin key.</summary>
    public string AdminKey { get; init; } = NewAdminKey();

    /// <summary>
    /// True (the default): an instance re-reads the active KEK every second and a rotation waits one second for
    /// writes in flight, audit records can be sealed at once, and queue workers poll every 100 ms. False: the
    /// hub's production defaults (for measurements).
    /// </summary>
    public bool FastIntervals { get; init; } = true;

    /// <summary>A new random local root key: 32 bytes, base64.</summary>
    public static string NewRootKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new random admin key, long enough for <c>Hub:AdminKey</c>'s 32-character minimum.</summary>
    public static string NewAdminKey() => "test-admin-" + TestRandom.Hex(24);

    /// <summary>
    /// The settings as configuration keys (<c>Section:Key</c>, case-insensitive, as configuration reads them). Callers
    /// add or override their own keys in the dictionary before they build a host from it.
    /// </summary>
    public Dictionary<string, string?> Build()
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Storage"] = ConnectionString,
            ["Storage:Prefix"] = Prefix,
            ["KeyWrapping:Provider"] = "Local",
            ["KeyWrapping:RootKey"] = RootKey,
            ["Hub:AdminKey"] = AdminKey,
        };
        if (FastIntervals)
        {
            // A rotation waits this long for other instances to see the new KEK before it verifies.
            settings["KeyWrapping:ActiveKeyRefreshInterval"] = "00:00:01";
            settings["KeyWrapping:RotationSettleTime"] = "00:00:01";
            // Records are sealed into the audit chain as soon as they are written.
            settings["Audit:SealDelay"] = "00:00:00";
            settings["Jobs:QueuePollInterval"] = "00:00:00.100";
        }

        return settings;
    }
}
