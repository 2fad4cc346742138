using Microsoft.Extensions.Options;

namespace Integrations.Client;

/// <summary>The client's settings (section <c>IntegrationsHub</c> by convention). <see cref="ToString"/> never shows <see cref="ApiKey"/>.</summary>
public sealed class IntegrationsHubClientOptions
{
    /// <summary>The configuration section <c>AddIntegrationsHubClient(configuration.GetSection(SectionName))</c> binds by convention.</summary>
    public const string SectionName = "IntegrationsHub";

    /// <summary>The hub's address, e.g. <c>https://hub.example.com</c> (http only for loopback).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The organization API key the client authenticates with (<c>Authorization: Bearer</c>); a person's access token (<c>AuthTokens.AccessToken</c>) works too, acting as that person until it expires.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long before its <c>expires_at</c> a cached access token is fetched again (default 60 s).</summary>
    public TimeSpan TokenRefreshBeforeExpiry { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of a 429 or 503 answer (default 3; 0 turns retries off). No other status is retried.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The longest the client waits before a retry, whatever <c>Retry-After</c> asks (default 30 s): longer, and the error is the caller's.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The delay before a retry when the hub sent no <c>Retry-After</c> (doubling each time, with jitter; default 1 s).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The timeout of one request, retries included (default 100 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    public override string ToString() => $"IntegrationsHubClientOptions {{ BaseAddress = {BaseAddress} }}";
}

/// <summary>Checks <see cref="IntegrationsHubClientOptions"/> at start, so a missing key fails the host, not the first call.</summary>
internal sealed class IntegrationsHubClientOptionsValidator : IValidateOptions<IntegrationsHubClientOptions>
{
    public ValidateOptionsResult Validate(string? name, IntegrationsHubClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.BaseAddress is not { IsAbsoluteUri: true } address || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add("IntegrationsHub:BaseAddress must be an absolute http(s) URL.");
        }
        else if (address.Scheme == Uri.UriSchemeHttp && !address.IsLoopback)
        {
            // The API key would cross the network in clear text.
            failures.Add("IntegrationsHub:BaseAddress must use https unless it is a loopback address.");
        }
        else if (!string.IsNullOrEmpty(address.Query) || !string.IsNullOrEmpty(address.Fragment) || !string.IsNullOrEmpty(address.UserInfo))
        {
            failures.Add("IntegrationsHub:BaseAddress may not carry a query, a fragment or credentials.");
        }

        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add("IntegrationsHub:ApiKey is required.");
        }

        if (options.TokenRefreshBeforeExpiry < TimeSpan.Zero || options.TokenRefreshBeforeExpiry > TimeSpan.FromHours(1))
        {
            failures.Add("IntegrationsHub:TokenRefreshBeforeExpiry must be between 0 and 1 hour.");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add("IntegrationsHub:MaxRetries must be between 0 and 10.");
        }

        if (options.RetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.RetryDelay)
        {
            failures.Add("IntegrationsHub:RetryDelay must be positive and at most MaxRetryDelay.");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            failures.Add("IntegrationsHub:Timeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
