using System.CommandLine;
using System.Security;

namespace Integrations.Cli;

/// <summary>
/// Options every command takes. Each sets one of the configuration keys the Server reads (and wins over the
/// environment variable of the same key). Keys are read from files rather than taken as values, so they never
/// appear in process lists or shell history (run.sh keeps the local ones in .local/root.key and .local/admin.key).
/// </summary>
internal sealed class GlobalOptions
{
    public Option<string?> Storage { get; } = new("--storage")
    {
        Description = "Storage connection string (setting Storage). Prefer the Storage environment variable: a connection string holds an account key.",
        Recursive = true,
    };

    public Option<string?> Prefix { get; } = new("--prefix")
    {
        Description = "Prefix of the hub's tables, queues and containers (setting Storage:Prefix, default ih).",
        Recursive = true,
    };

    public Option<string?> KeyProvider { get; } = CreateKeyProvider();

    public Option<string?> KeyId { get; } = new("--key-id")
    {
        Description = "Key Vault key URI, unversioned (setting KeyWrapping:KeyId).",
        Recursive = true,
    };

    public Option<FileInfo?> RootKeyFile { get; } = new("--root-key-file")
    {
        Description = "File holding the local root key, base64 (setting KeyWrapping:RootKey), e.g. .local/root.key.",
        Recursive = true,
    };

    public Option<FileInfo?> AdminKeyFile { get; } = new("--admin-key-file")
    {
        Description = "File holding the platform admin key (setting Hub:AdminKey), e.g. .local/admin.key.",
        Recursive = true,
    };

    public IEnumerable<Option> All => [Storage, Prefix, KeyProvider, KeyId, RootKeyFile, AdminKeyFile];

    /// <summary>The configuration keys set by the options given. Throws <see cref="CliConfigurationException"/> when a key file cannot be read.</summary>
    public IReadOnlyDictionary<string, string?> ToSettings(ParseResult parsed)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Set(settings, "Storage", parsed.GetValue(Storage));
        Set(settings, "Storage:Prefix", parsed.GetValue(Prefix));
        Set(settings, "KeyWrapping:Provider", parsed.GetValue(KeyProvider));
        Set(settings, "KeyWrapping:KeyId", parsed.GetValue(KeyId));
        Set(settings, "KeyWrapping:RootKey", ReadKeyFile(parsed.GetValue(RootKeyFile), "--root-key-file"));
        Set(settings, "Hub:AdminKey", ReadKeyFile(parsed.GetValue(AdminKeyFile), "--admin-key-file"));
        return settings;
    }

    private static Option<string?> CreateKeyProvider()
    {
        var option = new Option<string?>("--key-provider")
        {
            Description = "Which root key wraps the KEKs: Local or KeyVault (setting KeyWrapping:Provider).",
            Recursive = true,
        };
        option.AcceptOnlyFromAmong("Local", "KeyVault");
        return option;
    }

    private static void Set(Dictionary<string, string?> settings, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            settings[key] = value;
        }
    }

    private static string? ReadKeyFile(FileInfo? file, string option)
    {
        if (file is null)
        {
            return null;
        }

        try
        {
            return File.ReadAllText(file.FullName).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SecurityException)
        {
            throw new CliConfigurationException($"{option}: {file.FullName} cannot be read ({ex.Message}).");
        }
    }
}
