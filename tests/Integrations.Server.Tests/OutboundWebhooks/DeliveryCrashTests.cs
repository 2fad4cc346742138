using System.Collections.Concurrent;
using System.Diagnostics;
using Integrations.Testing;
using Integrations.Testing.Webhooks;
using Xunit.Abstractions;
using static Integrations.Server.Tests.OutboundWebhooks.OutboundHub;

namespace Integrations.Server.Tests.OutboundWebhooks;

/// <summary>
/// Issue 10, item 6 — the kill test: a Server process killed hard in the middle of delivering loses no delivery. A real
/// Server on Azurite delivers 1,000 messages to a receiver on loopback; when the receiver has seen about 300 of them the
/// process is killed (SIGKILL to its whole tree: nothing settles, nothing flushes) while more messages are being
/// accepted; a new process on the same storage finishes the work. Duplicates are allowed (at least once) and counted.
/// </summary>
[Collection(MultiProcessDeliveryGroup.Name)]
public sealed class DeliveryCrashTests(ITestOutputHelper output)
{
    private const int Messages = 1000;
    private const int KillAfterArrivals = 300;
    private const int Senders = 8;
    // 3 minutes in the issue's brief; 4 here because one Server delivers ~5 messages a second on a loaded 2-core machine
    // and a ticket in flight at the kill stays hidden for the job's visibility timeout (2 minutes).
    private static readonly TimeSpan ArrivalBound = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Deliver_ServerKilledHardMidwayThroughAThousandMessages_EveryMessageArrivesAfterTheRestart()
    {
        // Arrange: a receiver that checks signatures with an implementation of its own, one endpoint, one Server.
        await using var receiver = await LoopbackWebhookReceiver.StartAsync();
        await using var hub = await CreateAsync();
        var first = await hub.StartServerAsync();
        await hub.CreateTenantAsync(first);
        var endpointId = await hub.CreateEndpointAsync(first, receiver.Url);
        receiver.Secrets = await hub.RevealSecretsAsync(first, endpointId);
        var accepted = new ConcurrentDictionary<int, string>(); // message number -> message id
        var acceptedByTheDyingProcess = new ConcurrentDictionary<int, string>(); // numbers sent after the kill was decided, answered by the first process
        var unanswered = new ConcurrentQueue<int>();
        var clock = Stopwatch.StartNew();

        // Act 1: 1,000 messages from 8 callers; when ~300 have arrived, more callers race the kill (numbers from 1,000 up),
        // and the process is killed while they are still being answered.
        var sending = Parallel.ForEachAsync(Enumerable.Range(0, Messages), new ParallelOptions { MaxDegreeOfParallelism = Senders }, async (n, _) =>
        {
            if (await hub.TrySendMessageAsync(first, Key(n), n) is { } id)
            {
                accepted[n] = id;
            }
            else
            {
                unanswered.Enqueue(n);
            }
        });
        await receiver.WaitForDistinctAsync(KillAfterArrivals, ArrivalBound);
        using var racing = new CancellationTokenSource();
        var next = Messages - 1;
        var racers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!racing.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref next);
                if (await hub.TrySendMessageAsync(first, Key(n), n) is { } id)
                {
                    accepted[n] = id;
                    acceptedByTheDyingProcess[n] = id;
                }
                else
                {
                    unanswered.Enqueue(n);
                    return; // The process is gone.
                }
            }
        })).ToList();
        var raceStarted = Stopwatch.StartNew();
        while (acceptedByTheDyingProcess.Count < 20 && raceStarted.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(10);
        }

        var killedPid = first.ServerProcessId;
        await first.KillAsync();
        var arrivedBeforeKill = receiver.DistinctCount;
        var requestsBeforeKill = receiver.Count;
        var killedAt = clock.Elapsed;
        await racing.CancelAsync();
        await sending;
        await Task.WhenAll(racers);

        // Act 2: a new process on the same storage; whatever got no answer is sent again with its idempotency key (as a
        // client would), so a message the dead process had stored is answered with its first id, not stored twice. A message
        // the dead process stored but had not queued yet is queued by the new process's fan-out recovery (its marker).
        var second = await hub.StartServerAsync();
        var restartedAt = clock.Elapsed;
        var resent = unanswered.ToArray();
        foreach (var n in resent)
        {
            accepted[n] = await hub.TrySendMessageAsync(second, Key(n), n) ?? throw new InvalidOperationException($"The second Server did not answer message {n}.");
        }

        var expected = accepted.Values.ToHashSet(StringComparer.Ordinal);
        var missing = await receiver.WaitForAllAsync(expected, ArrivalBound);
        var allArrivedAt = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2)); // Late duplicates (a retry already under way) are counted too.

        // Assert
        var arrivals = receiver.Arrivals;
        var distinct = arrivals.Select(a => a.MessageId).Distinct(StringComparer.Ordinal).Count();
        var duplicates = arrivals.Count - distinct;
        var unexpected = arrivals.Select(a => a.MessageId).Where(id => !expected.Contains(id)).Distinct(StringComparer.Ordinal).Count();
        output.WriteLine(Invariant($"Kill test: {resent.Length} sends got no answer and were sent again; {accepted.Count} messages accepted ({Messages} + {accepted.Count - Messages} sent while the kill was decided, {acceptedByTheDyingProcess.Count} of those answered by the dying process)."));
        output.WriteLine(Invariant($"Before the kill of pid {killedPid} at {killedAt.TotalSeconds:F1} s: {arrivedBeforeKill} distinct arrived ({requestsBeforeKill} requests). Restarted at {restartedAt.TotalSeconds:F1} s; every message had arrived at {allArrivedAt.TotalSeconds:F1} s."));
        output.WriteLine(Invariant($"Arrived {distinct} distinct of {expected.Count} ({missing.Count} missing) in {arrivals.Count} requests: {duplicates} duplicates ({arrivals.Count(a => a.Attempt == 2)} ids twice, {arrivals.Count(a => a.Attempt == 3)} three times, at most {arrivals.Max(a => a.Attempt)}); {unexpected} ids no answer named; load average {LoadAverage()}."));
        if (missing.Count > 0)
        {
            // Say which sends the missing messages came from and where the hub says they stand.
            var resentIds = resent.Select(n => accepted[n]).ToHashSet(StringComparer.Ordinal);
            foreach (var id in missing.Take(5))
            {
                var origin = resentIds.Contains(id) ? "no answer before the kill, sent again" : acceptedByTheDyingProcess.Values.Contains(id) ? "answered by the dying process" : "answered before the kill";
                output.WriteLine($"Missing {id} ({origin}): {(await hub.MessageAsync(second, id)).ToJsonString()}");
            }
        }

        Assert.True(missing.Count == 0, $"{missing.Count} accepted messages never arrived, e.g. {string.Join(", ", missing.Take(5))}; the Servers logged:\n{hub.Failures()}");
        Assert.True(arrivedBeforeKill < expected.Count, "Everything had arrived before the kill: the test proved nothing.");
        Assert.NotEmpty(acceptedByTheDyingProcess);
        Assert.All(acceptedByTheDyingProcess.Values, id => Assert.Contains(id, arrivals.Select(a => a.MessageId)));
        Assert.Equal(0, unexpected);
        Assert.All(arrivals, a => Assert.True(a.SignatureValid, $"Arrival {a.Attempt} of {a.MessageId} was not signed with the endpoint's secret."));
    }

    private static string Key(int n) => "kill-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The multi-process delivery tests run alone: they start several Server processes and load the two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MultiProcessDeliveryGroup
{
    public const string Name = "multi-process delivery";
}
