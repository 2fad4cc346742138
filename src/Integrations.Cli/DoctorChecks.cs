using System.Globalization;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.Configuration;

namespace Integrations.Cli;

/// <summary>One item of the production checklist: what was checked and, when it fails, what is wrong and how to fix it.</summary>
internal sealed record DoctorFinding(string Check, string? Problem = null, string? Fix = null)
{
    public bool Passed => Problem is null;
}

/// <summary>
/// The production checklist over a hub configuration, as a pure function of the settings (nothing is contacted): an https
/// public URL and endpoints, the root key in Key Vault rather than a local key outside Development, audit retention and
/// sealing, a KEK rotation schedule, storage by identity rather than shared keys, and telemetry for the alert rules.
/// </summary>
internal static class DoctorChecks
{
    public const string Development = "Development";

    private static readonly TimeSpan MinimumAuditRetention = TimeSpan.FromDays(365);

    /// <summary>Where a storage connection string can be: the hub's (<c>Storage</c> itself or its section) and the Functions host's.</summary>
    private static readonly string[] ConnectionStringSettings = ["Storage", "Storage:ConnectionString", "AzureWebJobsStorage"];

    /// <summary>Runs every check on <paramref name="settings"/> for <paramref name="environment"/> (e.g. Production).</summary>
    public static IReadOnlyList<DoctorFinding> Run(IConfiguration settings, string environment)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var development = string.Equals(environment, Development, StringComparison.OrdinalIgnoreCase);
        return
        [
            PublicUrl(settings, development),
            Endpoints(settings, development),
            RootKey(settings, development),
            AuditRetention(settings),
            RotationSchedule(settings),
            StorageAccess(settings, development),
            Alerting(settings, development),
        ];
    }

    /// <summary>The longest replay window (timestamp tolerance) the checklist accepts without comment.</summary>
    public const int MaxToleranceSeconds = 900;

    public const string WebhookReplayCheck = "Webhook sources are protected against replay (signed timestamps or event ids)";

    /// <summary>
    /// Webhook sources whose deliveries could be replayed: a generic <c>hmac</c> source with neither a signed timestamp nor an
    /// event id (the hub deduplicates by event id, and refuses timestamps outside the tolerance), or any source whose
    /// tolerance is wider than <see cref="MaxToleranceSeconds"/>. The built-in schemes carry a timestamp or a delivery id.
    /// </summary>
    public static DoctorFinding WebhookReplay(IEnumerable<WebhookSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var unprotected = new List<string>();
        foreach (var source in sources.Where(s => s.Enabled))
        {
            var where = $"{source.OrganizationId}/{source.ProjectId}/{source.Id} ({source.Name})";
            if (source.Scheme == WebhookSchemes.Hmac && source.Settings.Hmac?.TimestampHeader is null
                && source.Settings.EventIdHeader is null && source.Settings.EventIdPointer is null)
            {
                unprotected.Add($"{where}: hmac with no timestamp header and no event id");
            }
            else if (source.Settings.ToleranceSeconds > MaxToleranceSeconds)
            {
                unprotected.Add($"{where}: a {source.Settings.ToleranceSeconds} s replay window");
            }
        }

        return unprotected.Count == 0
            ? new(WebhookReplayCheck)
            : new(WebhookReplayCheck, "A captured delivery can be sent again to " + string.Join("; ", unprotected) + ".",
                $"Give each hmac source its provider's timestamp header (settings.hmac.timestamp_header) or event id (settings.event_id_header / event_id_pointer), and keep settings.tolerance_seconds at most {MaxToleranceSeconds}.");
    }

    private static DoctorFinding PublicUrl(IConfiguration settings, bool development)
    {
        const string Check = "Public URL is https (Hub:PublicBaseUrl)";
        var value = settings["Hub:PublicBaseUrl"];
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value, UriKind.Absolute, out var url))
        {
            return new(Check, "Hub:PublicBaseUrl is not set to an absolute URL: OAuth redirect URIs and webhook URLs are built from it.",
                "Set Hub:PublicBaseUrl (app setting Hub__PublicBaseUrl) to the hub's https address, e.g. https://hub.example.com.");
        }

        return url.Scheme == Uri.UriSchemeHttps || (development && url.IsLoopback)
            ? new(Check)
            : new(Check, $"Hub:PublicBaseUrl is {url.Scheme}://{url.Authority}: tokens, OAuth codes and API keys would cross the network in clear.",
                "Serve the hub over https and set Hub:PublicBaseUrl to its https address.");
    }

    /// <summary>Every other URL in the configuration (provider and mail endpoints, issuers): https outside Development.</summary>
    private static DoctorFinding Endpoints(IConfiguration settings, bool development)
    {
        const string Check = "Endpoints are https (provider, OAuth and other URLs in the settings)";
        var plain = settings.AsEnumerable()
            .Where(s => !string.Equals(s.Key, "Hub:PublicBaseUrl", StringComparison.OrdinalIgnoreCase))
            .Where(s => s.Value is not null && Uri.TryCreate(s.Value, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp && !(development && url.IsLoopback))
            .Select(s => s.Key)
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return plain.Count == 0
            ? new(Check)
            : new(Check, $"These settings point at http:// addresses: {string.Join(", ", plain)}.",
                "Use the providers' https endpoints; plain http is accepted only for loopback addresses in Development.");
    }

    private static DoctorFinding RootKey(IConfiguration settings, bool development)
    {
        const string Check = "Root key is in Key Vault (KeyWrapping:Provider)";
        var provider = settings["KeyWrapping:Provider"];
        var keyVault = string.Equals(provider, "KeyVault", StringComparison.OrdinalIgnoreCase);
        if (development && !keyVault)
        {
            return new(Check);
        }

        if (!keyVault)
        {
            return new(Check, $"KeyWrapping:Provider is {(string.IsNullOrEmpty(provider) ? "not set (Local)" : provider)}: the root key that protects every sealed secret sits in the settings, next to the data it protects.",
                "Set KeyWrapping:Provider=KeyVault and KeyWrapping:KeyId to the Key Vault key's URL (infra/ creates an RSA-HSM key), then remove KeyWrapping:RootKey once `ihub keys rotate` has re-wrapped every KEK.");
        }

        if (!Uri.TryCreate(settings["KeyWrapping:KeyId"], UriKind.Absolute, out var keyId) || keyId.Scheme != Uri.UriSchemeHttps)
        {
            return new(Check, "KeyWrapping:KeyId is not an https Key Vault key URL.", "Set KeyWrapping:KeyId to the key's unversioned URL, e.g. https://myvault.vault.azure.net/keys/hub-root.");
        }

        return string.IsNullOrEmpty(settings["KeyWrapping:RootKey"]) || development
            ? new(Check)
            : new(Check, "KeyWrapping:RootKey is still set although Key Vault wraps the keys: anyone who reads the settings holds a root key.",
                "Remove KeyWrapping:RootKey (and KeyWrapping:PreviousRootKeys) once every KEK is wrapped by Key Vault.");
    }

    private static DoctorFinding AuditRetention(IConfiguration settings)
    {
        const string Check = "Audit log is sealed and kept at least a year (Audit:Retention, Audit:SealSchedule)";
        var retentionText = settings["Audit:Retention"];
        var retention = TimeSpan.FromDays(2555);
        if (!string.IsNullOrWhiteSpace(retentionText) && !TimeSpan.TryParse(retentionText, CultureInfo.InvariantCulture, out retention))
        {
            return new(Check, $"Audit:Retention \"{retentionText}\" is not a duration.", "Set Audit:Retention as days.hours:minutes:seconds, e.g. 2555.00:00:00 (seven years).");
        }

        if (retention < MinimumAuditRetention)
        {
            return new(Check, $"Audit:Retention is {retention.TotalDays.ToString(CultureInfo.InvariantCulture)} days: audit records would be deleted within a year.",
                "Set Audit:Retention to at least 365.00:00:00 (the default is seven years) and keep the checkpoint container's immutability at least as long.");
        }

        return string.IsNullOrWhiteSpace(settings["Audit:SealSchedule"])
            ? new(Check, "Audit:SealSchedule is not set: without sealing, a rewritten audit record cannot be detected.", "Set Audit:SealSchedule, e.g. \"0 */5 * * * *\" (every five minutes).")
            : new(Check);
    }

    private static DoctorFinding RotationSchedule(IConfiguration settings)
    {
        const string Check = "Key-encryption keys rotate on a schedule (KeyWrapping:RotationSchedule)";
        return string.IsNullOrWhiteSpace(settings["KeyWrapping:RotationSchedule"])
            ? new(Check, "KeyWrapping:RotationSchedule is empty: KEKs rotate only when someone runs `ihub keys rotate`.",
                "Set KeyWrapping:RotationSchedule to an NCRONTAB expression, e.g. \"0 0 3 1 1,4,7,10 *\" (quarterly).")
            : new(Check);
    }

    private static DoctorFinding StorageAccess(IConfiguration settings, bool development)
    {
        const string Check = "Storage is reached by identity, not shared keys (Storage, AzureWebJobsStorage)";
        if (development)
        {
            return new(Check);
        }

        var shared = ConnectionStringSettings
            .Where(key => settings[key] is { } value && UsesSharedKey(value))
            .ToList();
        return shared.Count == 0
            ? new(Check)
            : new(Check, $"{string.Join(" and ", shared)} hold{(shared.Count == 1 ? "s" : "")} a connection string with an account key, a SAS or the development account.",
                "Use a managed identity: set Storage:TableServiceUri, Storage:QueueServiceUri, Storage:BlobServiceUri and Storage:ClientId " +
                "(and AzureWebJobsStorage__accountName, __credential=managedidentity, __clientId), then turn shared-key access off on the account.");
    }

    private static bool UsesSharedKey(string connectionString) =>
        connectionString.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase)
        || connectionString.Contains("SharedAccessSignature=", StringComparison.OrdinalIgnoreCase)
        || connectionString.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase);

    private static DoctorFinding Alerting(IConfiguration settings, bool development)
    {
        const string Check = "Telemetry reaches Application Insights, where the alert rules run (APPLICATIONINSIGHTS_CONNECTION_STRING)";
        return development || !string.IsNullOrWhiteSpace(settings["APPLICATIONINSIGHTS_CONNECTION_STRING"])
            ? new(Check)
            : new(Check, "APPLICATIONINSIGHTS_CONNECTION_STRING is not set: no telemetry leaves the hub, so no alert rule (connection failures, 401/403 bursts, poison queues, 5xx) can fire.",
                "Deploy with infra/ (azd up), which sets it and creates the alert rules, or set it to your Application Insights connection string.");
    }
}
