using Polly;

namespace Integrations.Http.Resilience;

/// <summary>
/// A named retry strategy: how long to wait before each retry, and at most how many attempts (the first included)
/// a call makes. A call may ask for fewer attempts, never more.
/// </summary>
/// <param name="Name">The seed's name, e.g. <c>linear_2s</c>.</param>
/// <param name="BackoffType">Polly's backoff: constant, or exponential (doubling).</param>
/// <param name="BaseDelay">The constant delay, or the first delay of an exponential backoff.</param>
/// <param name="UseJitter">For exponential backoff, Polly's decorrelated jitter (DecorrelatedJitterBackoffV2).</param>
/// <param name="MaxAttempts">Attempts including the first; a call's default and its ceiling.</param>
/// <param name="MaxDelay">Cap on one delay, or null.</param>
public sealed record RetryStrategy(string Name, DelayBackoffType BackoffType, TimeSpan BaseDelay, bool UseJitter, int MaxAttempts, TimeSpan? MaxDelay);
