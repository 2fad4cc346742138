using Integrations.Http.Guard;
using Microsoft.Extensions.Options;

namespace Integrations.Http.Hosting;

internal sealed class OutboundHttpOptionsValidator : IValidateOptions<OutboundHttpOptions>
{
    private const string Section = OutboundHttpOptions.SectionName;

    // Polly refuses breaker windows and durations under half a second.
    private static readonly TimeSpan MinimumBreakerTime = TimeSpan.FromMilliseconds(500);

    public ValidateOptionsResult Validate(string? name, OutboundHttpOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.AllowedNetworks.Count; i++)
        {
            var entry = options.AllowedNetworks[i];
            if (!CidrNotation.TryParse(entry, out _))
            {
                failures.Add($"{Section}:AllowedNetworks:{i} ('{entry}') is not a CIDR network: write an address and a prefix length, " +
                    "such as 10.20.0.0/16 or fd00:1::/64, with no address bits set past the prefix.");
            }
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:Timeout must be greater than zero (for example 00:00:30).");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero || options.ConnectTimeout > options.Timeout)
        {
            failures.Add($"{Section}:ConnectTimeout must be greater than zero and at most {Section}:Timeout (for example 00:00:10).");
        }

        if (options.MaxResponseBytes is <= 0 or > int.MaxValue)
        {
            failures.Add($"{Section}:MaxResponseBytes must be between 1 and {int.MaxValue} (a response is buffered in memory).");
        }

        if (options.PooledConnectionLifetime <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:PooledConnectionLifetime must be greater than zero (for example 00:02:00).");
        }

        if (options.MaxRetryAfter < TimeSpan.Zero)
        {
            failures.Add($"{Section}:MaxRetryAfter must not be negative.");
        }

        var breaker = options.CircuitBreaker;
        if (breaker is null)
        {
            failures.Add($"{Section}:CircuitBreaker must not be null.");
        }
        else
        {
            if (breaker.FailureRatio is <= 0 or > 1 || double.IsNaN(breaker.FailureRatio))
            {
                failures.Add($"{Section}:CircuitBreaker:FailureRatio must be greater than 0 and at most 1 (for example 0.5).");
            }

            if (breaker.MinimumThroughput < 2)
            {
                failures.Add($"{Section}:CircuitBreaker:MinimumThroughput must be at least 2.");
            }

            if (breaker.SamplingDuration < MinimumBreakerTime)
            {
                failures.Add($"{Section}:CircuitBreaker:SamplingDuration must be at least 00:00:00.5.");
            }

            if (breaker.BreakDuration < MinimumBreakerTime)
            {
                failures.Add($"{Section}:CircuitBreaker:BreakDuration must be at least 00:00:00.5.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
