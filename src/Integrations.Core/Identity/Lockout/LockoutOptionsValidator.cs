using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity.Lockout;

/// <summary>The cross-field rules of <see cref="LockoutOptions"/>.</summary>
public sealed class LockoutOptionsValidator : IValidateOptions<LockoutOptions>
{
    public ValidateOptionsResult Validate(string? name, LockoutOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        // Equal or lower, one attacking source would throttle the account as soon as it locks itself out: the owner on another
        // network would be slowed by a single attacker.
        if (options.MaxFailuresPerAccount <= options.MaxFailuresPerAccountSource)
        {
            failures.Add($"Auth:Lockout:MaxFailuresPerAccount ({options.MaxFailuresPerAccount}) must be more than Auth:Lockout:MaxFailuresPerAccountSource " +
                $"({options.MaxFailuresPerAccountSource}): one source alone must not throttle an account.");
        }

        // Lower, the per-account lock (the seed's 429) would never be seen: the source lock would always come first.
        if (options.MaxFailuresPerSource < options.MaxFailuresPerAccountSource)
        {
            failures.Add($"Auth:Lockout:MaxFailuresPerSource ({options.MaxFailuresPerSource}) must be at least Auth:Lockout:MaxFailuresPerAccountSource " +
                $"({options.MaxFailuresPerAccountSource}).");
        }

        if (options.AccountThrottleDelay > options.Window)
        {
            failures.Add($"Auth:Lockout:AccountThrottleDelay ({options.AccountThrottleDelay}) must not exceed Auth:Lockout:Window ({options.Window}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
