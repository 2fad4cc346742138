using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Counters;

/// <summary>
/// Flushes <see cref="HubCounters"/> every <see cref="CounterOptions.FlushInterval"/> (sooner when its buffer is full) and
/// once more at shutdown, so a graceful stop (a deployment, a scale-in) loses nothing. A hosted service in both shells:
/// the Functions isolated worker is a generic host and runs hosted services like the Server does.
/// </summary>
public sealed partial class CounterFlusher(HubCounters counters, IOptions<CounterOptions> options, TimeProvider time, ILogger<CounterFlusher> logger)
    : BackgroundService
{
    /// <summary>The flush at shutdown gets at most this long (the host's own shutdown timeout may be shorter).</summary>
    private static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(10);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(FinalFlushTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await counters.FlushAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Log.FinalFlushAbandoned(logger);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.WhenAny(Task.Delay(options.Value.FlushInterval, time, stoppingToken), counters.FlushWanted).ConfigureAwait(false);
                stoppingToken.ThrowIfCancellationRequested();
                await counters.FlushAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // FlushAsync keeps what it could not write; a failure of the loop itself must not end the flushing.
                Log.FlushLoopFailed(logger, ex);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8722, Level = LogLevel.Warning, Message = "The counters' flush at shutdown did not finish in time; this instance's last interval of counts is lost.")]
        public static partial void FinalFlushAbandoned(ILogger logger);

        [LoggerMessage(EventId = 8723, Level = LogLevel.Error, Message = "Flushing the counters failed; the next interval tries again.")]
        public static partial void FlushLoopFailed(ILogger logger, Exception exception);
    }
}
