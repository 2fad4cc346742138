using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Integrations.Testing;
using Integrations.Testing.OAuth;

namespace Integrations.Bench.Load;

/// <summary>
/// <c>--suite token</c> (issue 8's speed targets): the token endpoint for a valid token against the storage work it
/// cannot avoid — one point read of the connection's token secret row and one audit-sized insert — at each concurrency;
/// then the refresh storm: N callers split across two Server processes on the same storage ask for an expired token,
/// and the authorization server (OpenIddict in this process, on loopback) counts the token requests it sees.
/// The Servers run in Development (the loopback authorization server is http) with the outbound guard open to
/// 127.0.0.1/32.
/// </summary>
internal static class TokenBench
{
    private const string Prefix = "benchtok";

    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var loadBefore = ProcessTree.LoadAverage();
        Console.WriteLine(Invariant($"Token suite. Server {HubServerProcess.Version}. Callers {string.Join(',', options.Callers)}; storm {options.StormCallers} callers on 2 Servers; {Environment.ProcessorCount} cores; load average {loadBefore}."));
        await using var azurite = await AzuriteInstance.StartAsync(cancellationToken);
        var azuritePid = ProcessTree.Children(Environment.ProcessId, "node").FirstOrDefault();
        await using var idp = await OpenIddictTestServer.StartAsync(new OpenIddictTestServerOptions { AccessTokenLifetime = TimeSpan.FromHours(1) });
        var environment = new Dictionary<string, string>(options.ServerEnvironment, StringComparer.Ordinal)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["OutboundHttp__AllowedNetworks__0"] = "127.0.0.1/32",
        };
        var lifetime = options.MaxRunTime + TimeSpan.FromMinutes(1);
        await using var server = await HubServerProcess.StartAsync(azurite.ConnectionString, Prefix, lifetime, environment, cancellationToken);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, UseCookies = false, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
        await server.WaitUntilReadyAsync(http, cancellationToken);

        var api = new HubApi(http, server.BaseAddress);
        var (organizationId, apiKey) = await api.CreateOrganizationAsync(server.AdminKey, cancellationToken);
        var projectId = await api.CreateProjectAsync(apiKey, cancellationToken);
        using var provider = await api.PostAsync($"v1/projects/{projectId}/providers", apiKey, new Dictionary<string, object>
        {
            ["name"] = "idp", ["issuer"] = idp.Issuer.AbsoluteUri, ["client_id"] = OpenIddictTestServer.ClientId, ["client_secret"] = OpenIddictTestServer.ClientSecret,
            ["client_authentication"] = "client_secret_basic", ["refresh_skew_seconds"] = 1,
        }, cancellationToken);
        var providerId = provider.RootElement.GetProperty("id").GetString()!;
        var valid = await CreateConnectionAsync(api, apiKey, projectId, providerId, "valid", cancellationToken);
        // The first token call connects the client-credentials connection (one grant); every later one is served stored.
        using (await api.PostAsync(TokenPath(projectId, valid), apiKey, null, cancellationToken))
        {
        }

        Console.WriteLine(Invariant($"Server on {server.BaseAddress} (pid {server.ServerProcessId}); connection {valid} connected; {clock.Elapsed.TotalSeconds:F1} s."));
        var tables = new TableServiceClient(azurite.ConnectionString);
        var scenarios = new TokenScenarios(http, server.BaseAddress, apiKey, tables, Prefix, organizationId, projectId, valid);
        await scenarios.CreateScratchTableAsync(cancellationToken);
        Scenario[] selected = [scenarios.Baseline, scenarios.Hub];
        var runner = new LoadRunner(server.ServerProcessId, azuritePid);
        if (options.JitWarmup > TimeSpan.Zero)
        {
            await LoadRunner.WarmUpAsync(selected, 8, options.JitWarmup, cancellationToken);
        }

        var results = new List<Measurement>();
        foreach (var callers in options.Callers)
        {
            foreach (var scenario in selected)
            {
                var m = await runner.MeasureAsync(scenario, callers, options.Warmup, options.Duration, cancellationToken);
                results.Add(m);
                Console.WriteLine(Invariant(
                    $"  {callers,2} callers  {m.Scenario,-16} {m.OpsPerSecond,8:F0} ops/s  p50 {m.P50Ms,7:F2} ms  p99 {m.P99Ms,7:F2} ms  CPU ms/op Server {m.Cpu.ServerMs:F3} Azurite {m.Cpu.AzuriteMs:F3} bench {m.Cpu.BenchMs:F3}  errors {m.Errors}{(m.FirstError is null ? "" : " (" + m.FirstError + ")")}"));
            }
        }

        var storm = await StormAsync(options, azurite, idp, server, http, api, apiKey, projectId, providerId, environment, lifetime, cancellationToken);
        var report = new StringBuilder(Report.Render(results, new RunContext(HubServerProcess.Version, Environment.ProcessorCount, loadBefore, ProcessTree.LoadAverage(), options)));
        report.AppendLine();
        report.AppendLine("Refresh storm (an expired token; callers released at once, alternating between the two Server processes):");
        report.AppendLine();
        report.AppendLine("| callers | instances | token requests seen by the authorization server | callers with a token | time until every caller has a token (ms) | first answer (ms) | p50 (ms) |");
        report.AppendLine("|--:|--:|--:|--:|--:|--:|--:|");
        report.AppendLine(Invariant($"| {storm.Callers} | 2 | {storm.TokenRequests} | {storm.Succeeded} | {storm.AllMs:F0} | {storm.FirstMs:F0} | {storm.P50Ms:F0} |"));
        report.AppendLine();
        report.AppendLine(storm.TokenRequests == 1 && storm.Succeeded == storm.Callers
            ? "Storm: PASS (one token request at the authorization server; every caller got the new token)."
            : Invariant($"Storm: MISS ({storm.TokenRequests} token requests; {storm.Succeeded} of {storm.Callers} callers got a token; first failure: {storm.FirstFailure})."));
        Console.WriteLine();
        Console.WriteLine(report);
        Console.WriteLine(Invariant($"Total run time {clock.Elapsed.TotalSeconds:F0} s."));
        if (options.ReportPath is { } reportPath)
        {
            await File.WriteAllTextAsync(reportPath, report.ToString(), cancellationToken);
            Console.WriteLine($"Report written to {Path.GetFullPath(reportPath)}.");
        }

        return results.Any(r => r.Errors > 0) || storm.TokenRequests != 1 || storm.Succeeded != storm.Callers ? 1 : 0;
    }

    private static async Task<StormResult> StormAsync(
        LoadOptions options, AzuriteInstance azurite, OpenIddictTestServer idp, HubServerProcess first, HttpClient http, HubApi api, string apiKey, string projectId,
        string providerId, Dictionary<string, string> environment, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        // A connection whose token lives 2 s (real expiry); the refreshed one lives an hour, so one request is enough.
        idp.AccessTokenLifetime = TimeSpan.FromSeconds(2);
        var stormy = await CreateConnectionAsync(api, apiKey, projectId, providerId, "stormy", cancellationToken);
        using (await api.PostAsync(TokenPath(projectId, stormy), apiKey, null, cancellationToken))
        {
        }

        var expiresAt = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 2;
        idp.AccessTokenLifetime = TimeSpan.FromHours(1);
        await using var second = await HubServerProcess.StartAsync(azurite.ConnectionString, Prefix, lifetime, environment, cancellationToken, first.RootKey, first.AdminKey);
        await second.WaitUntilReadyAsync(http, cancellationToken);
        HubServerProcess[] servers = [first, second];
        foreach (var server in servers)
        {
            // Warm the second Server's key cache and JIT on a route that does not touch the token.
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseAddress, $"v1/projects/{projectId}/connections/{stormy}/status"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            using var response = await http.SendAsync(request, cancellationToken);
        }

        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), expiresAt) + TimeSpan.FromMilliseconds(500);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }

        idp.ResetTokenRequestCounts();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new Stopwatch();
        var calls = Enumerable.Range(0, options.StormCallers).Select(async i =>
        {
            await gate.Task.ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(servers[i % 2].BaseAddress, TokenPath(projectId, stormy)));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            try
            {
                using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                return (Ok: response.IsSuccessStatusCode, Error: response.IsSuccessStatusCode ? null : $"{(int)response.StatusCode} {body}", Ms: clock.Elapsed.TotalMilliseconds);
            }
            catch (HttpRequestException ex)
            {
                return (Ok: false, Error: (string?)ex.Message, Ms: clock.Elapsed.TotalMilliseconds);
            }
        }).ToList();
        clock.Start();
        gate.SetResult();
        var results = await Task.WhenAll(calls);
        var times = results.Select(r => r.Ms).Order().ToList();
        return new StormResult(options.StormCallers, idp.TokenRequestCounts.Values.Sum(), results.Count(r => r.Ok), times[^1], times[0], times[times.Count / 2],
            results.FirstOrDefault(r => !r.Ok).Error);
    }

    private static async Task<string> CreateConnectionAsync(HubApi api, string apiKey, string projectId, string providerId, string name, CancellationToken cancellationToken)
    {
        using var created = await api.PostAsync($"v1/projects/{projectId}/connections", apiKey,
            new Dictionary<string, object> { ["name"] = name, ["type"] = "oauth2_client_credentials", ["provider_id"] = providerId }, cancellationToken);
        return created.RootElement.GetProperty("id").GetString()!;
    }

    private static string TokenPath(string projectId, string connectionId) => $"v1/projects/{projectId}/connections/{connectionId}/token";

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record StormResult(int Callers, int TokenRequests, int Succeeded, double AllMs, double FirstMs, double P50Ms, string? FirstFailure);

    /// <summary>
    /// The token endpoint and its baseline. The baseline is what a valid-token request cannot avoid: one point read of the
    /// connection's token secret row (as TableSecretStore stores it: PK <c>{org}_{project}</c>, RK <c>S:connection.{id}.oauth</c>,
    /// the whole row) and one insert of an audit-sized entity.
    /// </summary>
    private sealed class TokenScenarios(
        HttpClient http, Uri baseAddress, string apiKey, TableServiceClient tables, string prefix, string organizationId, string projectId, string connectionId)
    {
        private readonly TableClient _secrets = tables.GetTableClient(prefix + "secrets");
        private readonly TableClient _scratchAudit = tables.GetTableClient(prefix + "benchaudit");
        private readonly AuthenticationHeaderValue _bearer = new("Bearer", apiKey);

        private string Partition => $"{organizationId}_{projectId}";

        public Scenario Hub => new("hub-token", async ct =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, TokenPath(projectId, connectionId)));
            request.Headers.Authorization = _bearer;
            using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        });

        public Scenario Baseline => new("baseline-token", async ct =>
        {
            var row = await _secrets.GetEntityAsync<TableEntity>(Partition, "S:connection." + connectionId + ".oauth", cancellationToken: ct).ConfigureAwait(false);
            if (row.Value.GetBinary("Value") is not { Length: > 0 })
            {
                return false;
            }

            await _scratchAudit.AddEntityAsync(AuditLikeEntity(), ct).ConfigureAwait(false);
            return true;
        });

        public async Task CreateScratchTableAsync(CancellationToken cancellationToken) => await _scratchAudit.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

        /// <summary>An entity with the columns and typical sizes of a hub audit record (TableAuditStore.ToEntity).</summary>
        private TableEntity AuditLikeEntity()
        {
            var now = TimeProvider.System.GetUtcNow();
            var id = "aud_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(10)).ToLowerInvariant();
            return new TableEntity(Partition, (DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "_" + id)
            {
                ["Id"] = id, ["Time"] = now, ["Org"] = organizationId, ["Project"] = projectId, ["Action"] = "connection.token", ["Outcome"] = "success",
                ["Status"] = 200, ["ActorType"] = "ApiKey", ["ActorId"] = "key_abcdefghijklmnopqrst", ["Target"] = "connection/" + connectionId,
                ["SourceIp"] = "127.0.0.1", ["RequestId"] = "0HNBENCHMARK00:" + id[^8..],
            };
        }
    }
}
