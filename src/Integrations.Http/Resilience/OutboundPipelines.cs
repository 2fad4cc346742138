using System.Net;
using Integrations.Http.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;

namespace Integrations.Http.Resilience;

/// <summary>
/// The Polly v8 pipelines every outbound call runs through, on the injected <see cref="TimeProvider"/>:
/// <code>
/// retry (one pipeline per named strategy)
///   └─ circuit breaker (one per target key, from a ResiliencePipelineRegistry) ─ attempt timeout ─ send + read body
/// </code>
/// Retry is outside the breaker, so every attempt counts towards its target's breaker and an open circuit ends the
/// call at once (CIRCUIT_OPEN is not retried). Breakers live here, a singleton, not in the HTTP handlers, which
/// IHttpClientFactory may rotate. A call's attempt cap, timeout and identity travel in the <see cref="ResilienceContext"/>,
/// so the pipelines are shared. The registry keeps a breaker per target key for the life of the process; keys are
/// connection and endpoint ids, whose number the hub bounds.
/// </summary>
internal sealed class OutboundPipelines : IAsyncDisposable
{
    private static readonly HashSet<HttpStatusCode> RetryAfterStatuses = [HttpStatusCode.TooManyRequests, HttpStatusCode.ServiceUnavailable];

    private readonly OutboundHttpOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, ResiliencePipeline<HttpResponseMessage>> _retry;
    private readonly ResiliencePipelineRegistry<string> _targets = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, BreakerView> _breakers = new(StringComparer.Ordinal);

    // Target keys whose breaker is open (or half-open, probing): jobs read it to leave a failing target alone.

    public OutboundPipelines(IOptions<OutboundHttpOptions> options, TimeProvider time, ILogger<OutboundPipelines> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _retry = RetryStrategies.All.Values.ToDictionary(strategy => strategy.Name, BuildRetry, StringComparer.Ordinal);
    }

    public ResiliencePipeline<HttpResponseMessage> ForStrategy(RetryStrategy strategy) => _retry[strategy.Name];

    public ResiliencePipeline<HttpResponseMessage> ForTarget(string targetKey) =>
        _targets.GetOrAddPipeline<HttpResponseMessage>(targetKey, builder => ConfigureTarget(builder, targetKey));

    /// <summary>The delay a 429 or 503 asks for, if it gives one.</summary>
    public TimeSpan? RequestedDelay(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response && RetryAfterStatuses.Contains(response.StatusCode) ? RetryAfter.Read(response, _time) : null;

    public ValueTask DisposeAsync() => _targets.DisposeAsync();

    /// <summary>The breaker of <paramref name="targetKey"/> as it stands (closed when no call has built it yet), sending nothing.</summary>
    public (CircuitState State, DateTimeOffset? OpenUntil) CircuitOf(string targetKey) =>
        _breakers.TryGetValue(targetKey, out var view) ? (view.Provider.CircuitState, view.Provider.CircuitState == CircuitState.Open ? view.OpenUntil : null)
            : (CircuitState.Closed, null);

    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome, int attemptNumber, ResilienceContext context)
    {
        if (context.CancellationToken.IsCancellationRequested
            || attemptNumber + 1 >= context.Properties.GetValue(OutboundContextKeys.MaxAttempts, int.MaxValue)
            || OutboundErrorClassifier.Classify(outcome) is not { } kind
            || !kind.IsRetried()
            || (kind == OutboundErrorKind.Auth && !context.Properties.GetValue(OutboundContextKeys.RetryAuth, true)))
        {
            return false;
        }

        // A server asking for a longer pause than we hold a call open for gets it from the caller's scheduler instead.
        return RequestedDelay(outcome) is not { } requested || requested <= _options.MaxRetryAfter;
    }

    private ResiliencePipeline<HttpResponseMessage> BuildRetry(RetryStrategy strategy) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = strategy.Name,
                BackoffType = strategy.BackoffType,
                Delay = strategy.BaseDelay,
                UseJitter = strategy.UseJitter,
                MaxDelay = strategy.MaxDelay,
                MaxRetryAttempts = strategy.MaxAttempts - 1,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.AttemptNumber, args.Context)),
                // RFC 9110 §10.2.3: Retry-After on 429/503 replaces the strategy's delay; null keeps the strategy's.
                DelayGenerator = args => ValueTask.FromResult(RequestedDelay(args.Outcome)),
                OnRetry = args => OnRetryAsync(strategy, args),
            })
            .Build();

    private async ValueTask OnRetryAsync(RetryStrategy strategy, OnRetryArguments<HttpResponseMessage> args)
    {
        var kind = OutboundErrorClassifier.Classify(args.Outcome);
        if (!args.Context.Properties.TryGetValue(OutboundContextKeys.Call, out var call))
        {
            return;
        }

        var code = kind?.Code() ?? "NONE";
        var status = (int?)args.Outcome.Result?.StatusCode;
        Log.RetryScheduled(_logger, call.Authority, call.TargetKey, args.AttemptNumber + 1, code, status, args.RetryDelay, strategy.Name);

        // The OAuth feature refreshes the token here, so the retry of a 401 carries a new Authorization header.
        if (kind == OutboundErrorKind.Auth && call.Options.BeforeAuthRetry is { } refresh)
        {
            await refresh(call.Request, args.Context.CancellationToken).ConfigureAwait(false);
        }
    }

    private void ConfigureTarget(ResiliencePipelineBuilder<HttpResponseMessage> builder, string targetKey)
    {
        builder.TimeProvider = _time;
        var breaker = _options.CircuitBreaker;
        var view = _breakers.GetOrAdd(targetKey, static _ => new BreakerView());
        builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                StateProvider = view.Provider,
                // Only failures that say something about the target; a caller's cancellation or a 4xx does not.
                ShouldHandle = args => ValueTask.FromResult(
                    !args.Context.CancellationToken.IsCancellationRequested
                    && OutboundErrorClassifier.Classify(args.Outcome) is { } kind && kind.CountsAgainstTarget()),
                OnOpened = args =>
                {
                    view.OpenUntil = _time.GetUtcNow() + args.BreakDuration;
                    Log.CircuitOpened(_logger, targetKey, args.BreakDuration);
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    Log.CircuitHalfOpened(_logger, targetKey);
                    return default;
                },
                OnClosed = closed =>
                {
                    Log.CircuitClosed(_logger, targetKey);
                    return default;
                },
            })
            .AddTimeout(new TimeoutStrategyOptions
            {
                TimeoutGenerator = args => ValueTask.FromResult(args.Context.Properties.GetValue(OutboundContextKeys.AttemptTimeout, _options.Timeout)),
            });
    }

    /// <summary>What the status endpoint reads of a breaker: Polly's state provider and when the current break ends.</summary>
    private sealed class BreakerView
    {
        public CircuitBreakerStateProvider Provider { get; } = new();

        public DateTimeOffset? OpenUntil { get; set; }
    }
}
