using Integrations.Core.Common;

namespace Integrations.Core.Jobs;

/// <summary>The Storage Queue name of each <see cref="JobQueueDefinition"/>: the one answer every part of the hub uses.</summary>
public interface IJobQueueNames
{
    /// <summary>The name of <paramref name="queue"/>: the value of its <see cref="JobQueueDefinition.NameSetting"/>, or the host's default.</summary>
    string NameOf(JobQueueDefinition queue);
}
