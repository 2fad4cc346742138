using Integrations.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Integrations.Core.OutboundWebhooks;

/// <summary>Stops the host at start when <c>Webhooks:RetrySchedule</c> is not a list of durations, saying what is wrong and what to set.</summary>
public sealed class RetryScheduleValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return RetrySchedule.TryParse(options.RetrySchedule, out _, out var error)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(Message(error));
    }

    internal static string Message(string error) =>
        $"Webhooks:RetrySchedule must be comma-separated durations (0s, 5s, 5m, 2h, 1d or hh:mm:ss; at most 7 days each), one per attempt, e.g. \"{WebhookOptions.DefaultRetrySchedule}\": {error}.";
}
