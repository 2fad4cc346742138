using Microsoft.Extensions.Options;

namespace Integrations.Azure.Hosting;

/// <summary>
/// Where the hub's tables, queues and lease blobs live. One shape for both places it runs, as the Azure SDK's
/// client factory has: a connection string (Azurite, or a key-based account) in <c>Storage</c> or
/// <c>Storage:ConnectionString</c>; or, in Azure, the service URIs with a managed identity.
/// </summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    public string? ConnectionString { get; set; }

    public Uri? TableServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    public Uri? BlobServiceUri { get; set; }

    /// <summary>The client id of a user-assigned managed identity; empty for the system-assigned one.</summary>
    public string? ClientId { get; set; }

    /// <summary>Prepended to every table, queue and container name (letters and digits), so deployments and test runs can share an account.</summary>
    public string Prefix { get; set; } = "ih";

    internal bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);
}

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (string.IsNullOrEmpty(options.Prefix) || options.Prefix.Length > 20 || !options.Prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
        {
            return ValidateOptionsResult.Fail("Storage:Prefix must be 1 to 20 lowercase letters or digits.");
        }

        if (!char.IsAsciiLetterLower(options.Prefix[0]))
        {
            return ValidateOptionsResult.Fail("Storage:Prefix must start with a lowercase letter (table names cannot start with a digit).");
        }

        if (options.UsesConnectionString)
        {
            return ValidateOptionsResult.Success;
        }

        return options.TableServiceUri is { IsAbsoluteUri: true } && options.QueueServiceUri is { IsAbsoluteUri: true } && options.BlobServiceUri is { IsAbsoluteUri: true }
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                "Set Storage to an Azure Storage connection string (for Azurite: UseDevelopmentStorage=true or the full Azurite string), " +
                "or set Storage:TableServiceUri, Storage:QueueServiceUri and Storage:BlobServiceUri to use a managed identity.");
    }
}
