namespace Integrations.Client.Sample;

/// <summary>What the sample is told: from the command line, else from the environment (the API key best from there: arguments show in <c>ps</c>).</summary>
internal sealed record SampleSettings(Uri Hub, string ApiKey, string? ProjectId, Uri? Upstream, string Path, string? UpstreamToken, string? TokenConnection)
{
    public const string Usage = """
        usage: Integrations.Client.Sample [--hub URL] [--api-key KEY] [--project ID] [--upstream URL [--path PATH] [--upstream-token TOKEN]]
                                          [--token-connection NAME]
          --hub               the hub (INTEGRATIONS_HUB_URL; default http://127.0.0.1:7071, where ./run.sh listens)
          --api-key           an organization API key (INTEGRATIONS_HUB_API_KEY), e.g. the owner key POST /v1/orgs printed
          --project           a project id (INTEGRATIONS_HUB_PROJECT); default: the project "client-sample", made if missing
          --upstream          an API's base URL: the sample makes a bearer connection to it and calls it through the hub's proxy
          --path              the path (and query) to GET through the proxy, below the base URL (default /)
          --upstream-token    the bearer token the hub injects (stored as a secret; default: a made-up one)
          --token-connection  an OAuth connection of the project (name or id) to get an access token of
        """;

    public static SampleSettings? Parse(string[] args, Func<string, string?> environment, out string? error)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                error = $"unexpected argument '{args[i]}'";
                return null;
            }

            values[args[i][2..]] = args[++i];
        }

        string? Value(string name, string? variable = null) =>
            values.TryGetValue(name, out var value) ? value : variable is null ? null : environment(variable) is { Length: > 0 } set ? set : null;

        var unknown = values.Keys.Except(["hub", "api-key", "project", "upstream", "path", "upstream-token", "token-connection"]).FirstOrDefault();
        if (unknown is not null)
        {
            error = $"unknown option --{unknown}";
            return null;
        }

        if (!Uri.TryCreate(Value("hub", "INTEGRATIONS_HUB_URL") ?? "http://127.0.0.1:7071", UriKind.Absolute, out var hub))
        {
            error = "--hub must be an absolute URL";
            return null;
        }

        if (Value("api-key", "INTEGRATIONS_HUB_API_KEY") is not { } apiKey)
        {
            error = "an API key is required: --api-key or INTEGRATIONS_HUB_API_KEY";
            return null;
        }

        Uri? upstream = null;
        if (Value("upstream") is { } raw && !Uri.TryCreate(raw, UriKind.Absolute, out upstream))
        {
            error = "--upstream must be an absolute URL";
            return null;
        }

        error = null;
        return new SampleSettings(hub, apiKey, Value("project", "INTEGRATIONS_HUB_PROJECT"), upstream, Value("path") ?? "/", Value("upstream-token"),
            Value("token-connection"));
    }

    // The API key never appears in a printed record.
    public override string ToString() => $"SampleSettings {{ Hub = {Hub}, ProjectId = {ProjectId}, Upstream = {Upstream} }}";
}
