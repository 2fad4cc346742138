using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Integrations.Core.Identity.Passwords;
using Integrations.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Integrations.Bench.Load;

/// <summary>
/// <c>--suite identity</c> (issue 11's speed targets), against one Server in Production with the default Argon2id cost:
/// <list type="bullet">
/// <item><b>Login</b> is bound by the password hash on purpose: logins per second per core (the Server's CPU per login)
/// next to the same Argon2id verification alone in this process, same parameters, same run.</item>
/// <item><b>Refresh</b> against the storage work it cannot avoid: a point read of the token's row, an ETag-conditional
/// merge (single use) and an insert (the next token), done with the Azure SDK on the same Azurite. Target ≥ 0.8×.</item>
/// <item><b>JWT validation per request</b>: the same read route called with an API key and with a user's access token,
/// one caller at a time; the added p50 must stay ≤ 50 µs.</item>
/// </list>
/// </summary>
internal static class IdentityBench
{
    private const string Prefix = "benchid";
    private const string Password = "Correct horse battery staple 42!";
    private const double RefreshTarget = 0.8;
    private const double JwtAddedP50TargetMs = 0.050;

    /// <summary>Unknown address and wrong password: their medians may differ by this much (both are one Argon2id, ~60 ms).</summary>
    private const double LoginTimingBoundMs = 5;
    private static readonly string[] BenchKeyScopes = ["secrets:read", "secrets:write"];

    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var loadBefore = ProcessTree.LoadAverage();
        Console.WriteLine(Invariant($"Identity suite. Server {HubServerProcess.Version}. Callers {string.Join(',', options.Callers)}; {Environment.ProcessorCount} cores; load average {loadBefore}."));
        await using var azurite = await AzuriteInstance.StartAsync(cancellationToken);
        var azuritePid = ProcessTree.Children(Environment.ProcessId, "node").FirstOrDefault();
        var environment = new Dictionary<string, string>(options.ServerEnvironment, StringComparer.Ordinal)
        {
            // One source address (the bench) makes every call: the per-source limit of the account routes would stop it.
            ["RateLimits__Policies__auth"] = "100000000",
            // The timing comparison makes 200 wrong-password logins from one address: below every lockout limit, so each is
            // answered by the hash, not by the throttle.
            ["Auth__Lockout__MaxFailuresPerAccountSource"] = "100",
            ["Auth__Lockout__MaxFailuresPerAccount"] = "1000",
            ["Auth__Lockout__MaxFailuresPerSource"] = "1000",
        };
        await using var server = await HubServerProcess.StartAsync(azurite.ConnectionString, Prefix, options.MaxRunTime + TimeSpan.FromMinutes(1), environment, cancellationToken);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, UseCookies = false, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
        await server.WaitUntilReadyAsync(http, cancellationToken);

        // A person signs up (their personal organization, Owner), makes a project and an API key there: the same route and
        // data for both credentials. More people for the login and refresh callers.
        var users = new List<(string Email, string AccessToken, string RefreshToken, string OrganizationId)>();
        var callersMost = options.Callers.Max();
        for (var i = 0; i < Math.Max(callersMost, 8); i++)
        {
            using var signedUp = await PostJsonAsync(http, server.BaseAddress, "v1/auth/signup", null,
                new { email = $"bench{i}@example.com", password = Password, display_name = "Bench " + i }, cancellationToken);
            var root = signedUp.RootElement;
            users.Add(($"bench{i}@example.com", root.GetProperty("access_token").GetString()!, root.GetProperty("refresh_token").GetString()!,
                root.GetProperty("organization_id").GetString()!));
        }

        var owner = users[0];
        using var project = await PostJsonAsync(http, server.BaseAddress, "v1/projects", owner.AccessToken, new { name = "bench" }, cancellationToken);
        var projectId = project.RootElement.GetProperty("id").GetString()!;
        using var key = await PostJsonAsync(http, server.BaseAddress, $"v1/orgs/{owner.OrganizationId}/api-keys", owner.AccessToken,
            new { name = "bench", scopes = BenchKeyScopes }, cancellationToken);
        var apiKey = key.RootElement.GetProperty("key").GetString()!;
        using (await PostJsonAsync(http, server.BaseAddress, $"v1/projects/{projectId}/secrets", apiKey, new { name = "bench-secret", value = "v" }, cancellationToken))
        {
        }

        Console.WriteLine(Invariant($"Server on {server.BaseAddress} (pid {server.ServerProcessId}); {users.Count} people signed up; {clock.Elapsed.TotalSeconds:F1} s."));
        var tables = new TableServiceClient(azurite.ConnectionString);
        var scratch = tables.GetTableClient(Prefix + "benchrefresh");
        await scratch.CreateIfNotExistsAsync(cancellationToken);
        var scenarios = new IdentityScenarios(http, server.BaseAddress, users, projectId, apiKey, scratch);
        var runner = new LoadRunner(server.ServerProcessId, azuritePid);
        Scenario[] all = [scenarios.HashAlone, scenarios.Login, scenarios.BaselineRefresh, scenarios.Refresh, scenarios.ApiKeyRead, scenarios.JwtRead];
        if (options.JitWarmup > TimeSpan.Zero)
        {
            await LoadRunner.WarmUpAsync(all, 2, options.JitWarmup, cancellationToken);
        }

        var results = new List<Measurement>();
        // Hash-bound: as many callers as cores keeps them busy without queueing in front of them.
        foreach (var scenario in new[] { scenarios.HashAlone, scenarios.Login })
        {
            results.Add(Print(await runner.MeasureAsync(scenario, Environment.ProcessorCount, options.Warmup, options.Duration, cancellationToken)));
        }

        foreach (var callers in options.Callers)
        {
            foreach (var scenario in new[] { scenarios.BaselineRefresh, scenarios.Refresh })
            {
                results.Add(Print(await runner.MeasureAsync(scenario, callers, options.Warmup, options.Duration, cancellationToken)));
            }
        }

        // Latency, not throughput: one caller, the two credentials in turn, three rounds each, the best p50 of each kept.
        var reads = new List<Measurement>();
        for (var round = 0; round < 3; round++)
        {
            foreach (var scenario in new[] { scenarios.ApiKeyRead, scenarios.JwtRead })
            {
                reads.Add(Print(await runner.MeasureAsync(scenario, 1, options.Warmup, options.Duration, cancellationToken)));
            }
        }

        var interleaved = await CompareCredentialsInterleavedAsync(scenarios, options.Duration * 3, cancellationToken);
        var timing = await CompareLoginFailuresAsync(http, server.BaseAddress, users.TakeLast(4).Select(u => u.Email).ToList(), cancellationToken);
        var report = Render(results, reads, interleaved, timing, new RunContext(HubServerProcess.Version, Environment.ProcessorCount, loadBefore, ProcessTree.LoadAverage(), options));
        Console.WriteLine();
        Console.WriteLine(report.Text);
        Console.WriteLine(Invariant($"Total run time {clock.Elapsed.TotalSeconds:F0} s."));
        if (options.ReportPath is { } reportPath)
        {
            await File.WriteAllTextAsync(reportPath, report.Text, cancellationToken);
            Console.WriteLine($"Report written to {Path.GetFullPath(reportPath)}.");
        }

        return results.Concat(reads).Any(r => r.Errors > 0) ? 1 : 0;
    }

    private static (string Text, bool Met) Render(
        IReadOnlyList<Measurement> results, IReadOnlyList<Measurement> reads, CredentialTiming interleaved, LoginFailureTiming timing, RunContext context)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant(
            $"Server {context.ServerVersion}; {context.Cores} cores; {context.Options.JitWarmup.TotalSeconds:F0} s JIT warm-up, then {context.Options.Warmup.TotalSeconds:F0} s warm-up + {context.Options.Duration.TotalSeconds:F0} s per scenario; load average before {context.LoadBefore}, after {context.LoadAfter}."));
        text.AppendLine();
        text.AppendLine("hash-alone: Argon2idPasswordHasher.Verify in this process. hub-login: POST /v1/auth/login (right password). baseline-refresh: Azure SDK on the same Azurite — point read, ETag-conditional merge, insert. hub-refresh: POST /v1/auth/refresh, each caller using the token the last refresh returned. api-key-read / jwt-read: GET /v1/projects/{p}/secrets/{name} (metadata) with an API key / a person's access token, same organization and project.");
        text.AppendLine();
        text.AppendLine("| callers | scenario | ops/s | p50 ms | p99 ms | ops | errors | CPU ms/op: Server | Azurite | bench | other |");
        text.AppendLine("|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var m in results.Concat(reads))
        {
            text.AppendLine(Invariant(
                $"| {m.Callers} | {m.Scenario} | {m.OpsPerSecond:F0} | {m.P50Ms:F3} | {m.P99Ms:F3} | {m.Operations} | {m.Errors} | {m.Cpu.ServerMs:F3} | {m.Cpu.AzuriteMs:F3} | {m.Cpu.BenchMs:F3} | {m.Cpu.OtherMs:F3} |"));
        }

        var hash = results.First(r => r.Scenario == "hash-alone");
        var login = results.First(r => r.Scenario == "hub-login");
        text.AppendLine();
        text.AppendLine(Invariant($"Argon2id parameters: the Server's defaults (Auth:PasswordHashing), m = {new PasswordHashingOptions().MemoryKiB} KiB, t = {new PasswordHashingOptions().Iterations}, p = 1."));
        text.AppendLine();
        text.AppendLine("| | per second per core (1000 / CPU ms per operation) | CPU ms per operation |");
        text.AppendLine("|---|--:|--:|");
        text.AppendLine(Invariant($"| Argon2id verification alone (this process) | {1000 / hash.Cpu.BenchMs:F1} | {hash.Cpu.BenchMs:F2} |"));
        text.AppendLine(Invariant($"| login through the Server (Server CPU) | {1000 / login.Cpu.ServerMs:F1} | {login.Cpu.ServerMs:F2} |"));
        text.AppendLine(Invariant($"| login, everything (Server + Azurite) | {1000 / (login.Cpu.ServerMs + login.Cpu.AzuriteMs):F1} | {login.Cpu.ServerMs + login.Cpu.AzuriteMs:F2} |"));
        text.AppendLine();
        var met = true;
        text.AppendLine(Invariant($"| callers | refresh hub/baseline | >= {RefreshTarget}x |"));
        text.AppendLine("|--:|--:|---|");
        foreach (var refresh in results.Where(r => r.Scenario == "hub-refresh"))
        {
            var baseline = results.First(r => r.Scenario == "baseline-refresh" && r.Callers == refresh.Callers);
            var ratio = refresh.OpsPerSecond / baseline.OpsPerSecond;
            met &= ratio >= RefreshTarget;
            text.AppendLine(Invariant($"| {refresh.Callers} | {ratio:F2}x | {(ratio >= RefreshTarget ? "PASS" : "MISS")} |"));
        }

        var apiKeyP50 = reads.Where(r => r.Scenario == "api-key-read").Min(r => r.P50Ms);
        var jwtP50 = reads.Where(r => r.Scenario == "jwt-read").Min(r => r.P50Ms);
        var added = jwtP50 - apiKeyP50;
        // The verdict is the interleaved comparison: the rounds' p50s move by more than the target between rounds.
        var addedInterleaved = interleaved.Jwt.P50 - interleaved.ApiKey.P50;
        met &= addedInterleaved <= JwtAddedP50TargetMs;
        text.AppendLine();
        text.AppendLine();
        var p50Gap = Math.Abs(timing.Wrong.P50 - timing.Unknown.P50);
        met &= timing.SameAnswer && p50Gap <= LoginTimingBoundMs;
        text.AppendLine(Invariant($"Login failures, {timing.Wrong.Count} of each, interleaved, one at a time: wrong password p50 {timing.Wrong.P50:F1} ms (p90 {timing.Wrong.P90:F1}, mean {timing.Wrong.Mean:F1}); unknown address p50 {timing.Unknown.P50:F1} ms (p90 {timing.Unknown.P90:F1}, mean {timing.Unknown.Mean:F1}). Same status and body (bar traceId) every time: {(timing.SameAnswer ? "yes" : "NO")}. p50 gap {p50Gap:F1} ms, bound <= {LoginTimingBoundMs:F0} ms: {(timing.SameAnswer && p50Gap <= LoginTimingBoundMs ? "PASS" : "MISS")}."));
        text.AppendLine(Invariant($"JWT per request, interleaved ({interleaved.ApiKey.Count} pairs, one caller, each pair both credentials back to back, which first alternating): p50 {interleaved.Jwt.P50 * 1000:F0} µs with the access token against {interleaved.ApiKey.P50 * 1000:F0} µs with an API key: {addedInterleaved * 1000:F0} µs added (p90 {interleaved.Jwt.P90 * 1000:F0} against {interleaved.ApiKey.P90 * 1000:F0} µs; mean {(interleaved.Jwt.Mean - interleaved.ApiKey.Mean) * 1000:F0} µs more), target <= {JwtAddedP50TargetMs * 1000:F0} µs: {(addedInterleaved <= JwtAddedP50TargetMs ? "PASS" : "MISS")}."));
        text.AppendLine(Invariant($"For reference, the rounds above (best p50 of three each, taken minutes apart): {jwtP50 * 1000:F0} µs against {apiKeyP50 * 1000:F0} µs, {added * 1000:F0} µs added."));
        return (text.ToString(), met);
    }

    /// <summary>
    /// 200 logins with a wrong password (spread over four accounts, below the lockout limits) and 200 for addresses with no
    /// account, interleaved, one at a time: the latency of each kind and whether every answer was the same.
    /// </summary>
    private static async Task<LoginFailureTiming> CompareLoginFailuresAsync(HttpClient http, Uri baseAddress, List<string> emails, CancellationToken cancellationToken)
    {
        const int Tries = 200;
        var wrong = new List<double>(Tries);
        var unknown = new List<double>(Tries);
        string? first = null;
        var same = true;
        for (var i = 0; i < Tries; i++)
        {
            foreach (var (email, into) in new[] { (emails[i % emails.Count], wrong), ($"nobody{i}@example.com", unknown) })
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsJsonAsync(new Uri(baseAddress, "v1/auth/login"), new { email, password = "Wrong-Horse-Battery-7" }, cancellationToken)
                    .ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                into.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                var answer = (int)response.StatusCode + " " + System.Text.RegularExpressions.Regex.Replace(body, "\"traceId\":\"[^\"]*\"", "");
                first ??= answer;
                same &= answer == first;
            }
        }

        return new LoginFailureTiming(Summary.Of(wrong), Summary.Of(unknown), same);
    }

    /// <summary>
    /// The API key and the access token on the same read, one caller, in pairs for <paramref name="duration"/>: each pair
    /// sends both back to back, which first alternating, so both kinds meet the same moment of the machine (the separate rounds
    /// differ from each other by more than the 50 µs being judged). Latencies in ms.
    /// </summary>
    private static async Task<CredentialTiming> CompareCredentialsInterleavedAsync(IdentityScenarios scenarios, TimeSpan duration, CancellationToken cancellationToken)
    {
        var apiKey = new List<double>();
        var jwt = new List<double>();
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        for (var pair = 0; Stopwatch.GetTimestamp() < end; pair++)
        {
            // Alternating which goes first cancels what going first or second costs (a warm connection, a woken thread).
            var jwtFirst = pair % 2 == 1;
            foreach (var (run, into) in jwtFirst
                ? new[] { (scenarios.JwtRead.Run, jwt), (scenarios.ApiKeyRead.Run, apiKey) }
                : new[] { (scenarios.ApiKeyRead.Run, apiKey), (scenarios.JwtRead.Run, jwt) })
            {
                var started = Stopwatch.GetTimestamp();
                if (!await run(cancellationToken).ConfigureAwait(false))
                {
                    throw new InvalidOperationException("A read in the interleaved credential comparison failed.");
                }

                into.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        return new CredentialTiming(Summary.Of(apiKey), Summary.Of(jwt));
    }

    private sealed record CredentialTiming(Summary ApiKey, Summary Jwt);

    private sealed record LoginFailureTiming(Summary Wrong, Summary Unknown, bool SameAnswer);

    private sealed record Summary(int Count, double P50, double P90, double Mean)
    {
        public static Summary Of(List<double> values)
        {
            var sorted = values.Order().ToList();
            return new(sorted.Count, sorted[(int)Math.Ceiling(0.5 * sorted.Count) - 1], sorted[(int)Math.Ceiling(0.9 * sorted.Count) - 1], sorted.Average());
        }
    }

    private static Measurement Print(Measurement m)
    {
        Console.WriteLine(Invariant(
            $"  {m.Callers,2} callers  {m.Scenario,-18} {m.OpsPerSecond,8:F0} ops/s  p50 {m.P50Ms,7:F3} ms  p99 {m.P99Ms,7:F3} ms  CPU ms/op Server {m.Cpu.ServerMs:F3} Azurite {m.Cpu.AzuriteMs:F3} bench {m.Cpu.BenchMs:F3}  errors {m.Errors}{(m.FirstError is null ? "" : " (" + m.FirstError + ")")}"));
        return m;
    }

    private static async Task<JsonDocument> PostJsonAsync(HttpClient http, Uri baseAddress, string path, string? bearer, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, path)) { Content = JsonContent.Create(body) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? JsonDocument.Parse(text) : throw new InvalidOperationException($"POST /{path} answered {(int)response.StatusCode}: {text}");
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The measured operations. Refresh tokens are single use: each caller takes one from the pool and puts back its successor.</summary>
    private sealed class IdentityScenarios(
        HttpClient http, Uri baseAddress, IReadOnlyList<(string Email, string AccessToken, string RefreshToken, string OrganizationId)> users, string projectId,
        string apiKey, TableClient scratch)
    {
        private readonly Argon2idPasswordHasher _hasher = new(Options.Create(new PasswordHashingOptions()), NullLogger<Argon2idPasswordHasher>.Instance);
        private readonly ConcurrentQueue<string> _refreshTokens = new(users.Select(u => u.RefreshToken));
        private readonly AuthenticationHeaderValue _apiKey = new("Bearer", apiKey);
        private readonly AuthenticationHeaderValue _accessToken = new("Bearer", users[0].AccessToken);
        private string? _storedHash;
        private int _next;

        public Scenario HashAlone => new("hash-alone", _ =>
        {
            _storedHash ??= _hasher.Hash(Password);
            return Task.Run(() => _hasher.Verify(Password, _storedHash).Valid);
        });

        public Scenario Login => new("hub-login", async ct =>
        {
            var user = users[Interlocked.Increment(ref _next) % users.Count];
            using var response = await http.PostAsJsonAsync(new Uri(baseAddress, "v1/auth/login"), new { email = user.Email, password = Password }, ct).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        });

        public Scenario Refresh => new("hub-refresh", async ct =>
        {
            if (!_refreshTokens.TryDequeue(out var token))
            {
                return false;
            }

            using var response = await http.PostAsJsonAsync(new Uri(baseAddress, "v1/auth/refresh"), new { refresh_token = token }, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false));
            _refreshTokens.Enqueue(body.RootElement.GetProperty("refresh_token").GetString()!);
            return true;
        });

        /// <summary>What a rotation must do in storage: read the used token's row, mark it used only if unchanged, insert its successor.</summary>
        public Scenario BaselineRefresh => new("baseline-refresh", async ct =>
        {
            var caller = "c" + (Interlocked.Increment(ref _next) % 64).ToString(CultureInfo.InvariantCulture);
            var row = await scratch.GetEntityIfExistsAsync<TableEntity>(caller, "current", cancellationToken: ct).ConfigureAwait(false);
            if (!row.HasValue)
            {
                await scratch.UpsertEntityAsync(new TableEntity(caller, "current") { ["Hash"] = new byte[32], ["Used"] = false }, TableUpdateMode.Replace, ct).ConfigureAwait(false);
                return true;
            }

            var current = row.Value!;
            try
            {
                await scratch.UpdateEntityAsync(new TableEntity(caller, "current") { ["Used"] = true }, current.ETag, TableUpdateMode.Merge, ct).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Another caller rotated the same row first: as the hub's grace path, an answer, not an error.
                return true;
            }

            await scratch.AddEntityAsync(new TableEntity(caller, Guid.CreateVersion7().ToString("N")) { ["Hash"] = new byte[32], ["SessionId"] = caller, ["ExpiresAt"] = TimeProvider.System.GetUtcNow() }, ct)
                .ConfigureAwait(false);
            return true;
        });

        public Scenario ApiKeyRead => new("api-key-read", ct => ReadAsync(_apiKey, ct));

        public Scenario JwtRead => new("jwt-read", ct => ReadAsync(_accessToken, ct));

        private async Task<bool> ReadAsync(AuthenticationHeaderValue credential, CancellationToken ct)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, $"v1/projects/{projectId}/secrets/bench-secret"));
            request.Headers.Authorization = credential;
            using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
    }
}
