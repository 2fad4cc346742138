using Integrations.Core.Audit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integrations.Api.Pipeline;

/// <summary>Writes the summaries of <see cref="RepeatedRecords"/> as their windows end, and all of them at shutdown.</summary>
public sealed partial class RepeatedRecordFlusher(RepeatedRecords repeated, AuditLog audit, TimeProvider time, ILogger<RepeatedRecordFlusher> logger) : BackgroundService
{
    private const int SummariesInFlight = 100;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>Writes every summary whose window has ended (or every one, with <paramref name="all"/>); those that fail are kept for the next try.</summary>
    public async Task FlushAsync(bool all = false, CancellationToken cancellationToken = default)
    {
        var failed = new List<AuditEvent>();
        // Written a chunk at a time, concurrently: the audit store group-commits them, so a flood's summaries keep up.
        foreach (var chunk in repeated.TakeSummaries(all).Chunk(SummariesInFlight))
        {
            var written = await Task.WhenAll(chunk.Select(async summary =>
            {
                try
                {
                    await audit.WriteAsync(summary, cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (Exception ex) when (ex is AuditUnavailableException or OperationCanceledException)
                {
                    return false;
                }
            })).ConfigureAwait(false);
            failed.AddRange(chunk.Where((_, i) => !written[i]));
        }

        if (failed.Count > 0)
        {
            Log.SummariesDeferred(logger, failed.Count);
            repeated.Return(failed);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await FlushAsync(all: true, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
            await FlushAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "{Count} audit summaries could not be written to the audit log; they are retried.")]
        public static partial void SummariesDeferred(ILogger logger, int count);
    }
}
