using Integrations.Core.Common;
using Microsoft.Extensions.Options;

namespace Integrations.Azure.Queues;

/// <summary>How the job queues' names are resolved. Set by the shell, not read from configuration.</summary>
public sealed class JobQueueOptions
{
    /// <summary>
    /// True where there is no default name: the Functions host resolves <c>%Jobs:Queues:…%</c> from app settings
    /// only, so every queue's setting must be present there. The Server defaults to <c>{Storage:Prefix}-{id}</c>.
    /// </summary>
    public bool NameSettingsRequired { get; set; }
}

/// <summary>Checks at start that every <see cref="JobQueues"/> entry resolves to a valid queue name of its own.</summary>
internal sealed class JobQueueOptionsValidator(HubQueueNames names) : IValidateOptions<JobQueueOptions>
{
    public ValidateOptionsResult Validate(string? name, JobQueueOptions options)
    {
        var failures = new List<string>();
        var seen = new Dictionary<string, JobQueueDefinition>(StringComparer.Ordinal);
        foreach (var queue in JobQueues.All)
        {
            var configured = names.Configured(queue);
            if (configured is null && options.NameSettingsRequired)
            {
                failures.Add($"Set {queue.NameSetting} (app setting {queue.NameSetting.Replace(":", "__", StringComparison.Ordinal)}) to the name of its Storage Queue, e.g. \"ih-{queue.Id}\": the Functions queue trigger binds it as %{queue.NameSetting}%.");
                continue;
            }

            var queueName = names.NameOf(queue);
            if (!HubQueueNames.IsValidName(queueName))
            {
                failures.Add($"{queue.NameSetting} must be a Storage Queue name: 3 to {HubQueueNames.MaxNameLength} lowercase letters, digits and single hyphens, starting and ending with a letter or digit ({HubQueueNames.MaxNameLength} leaves room for its \"{HubQueueNames.PoisonSuffix}\" queue); \"{queueName}\" is not.");
            }
            else if (!seen.TryAdd(queueName, queue))
            {
                failures.Add($"{queue.NameSetting} and {seen[queueName].NameSetting} both name the queue \"{queueName}\"; each job queue needs its own.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
