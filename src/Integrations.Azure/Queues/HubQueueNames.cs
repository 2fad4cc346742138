using Integrations.Core.Common;
using Integrations.Core.Jobs;
using Microsoft.Extensions.Configuration;

namespace Integrations.Azure.Queues;

/// <summary>
/// The Storage Queue name of each job queue: the value of its setting (e.g. <c>Jobs:Queues:KeyRotation</c>, the same
/// setting the Functions trigger binds as <c>%Jobs:Queues:KeyRotation%</c>), or <c>{Storage:Prefix}-{id}</c> where the
/// setting is absent. The enqueue side, the Server's workers and the storage initializer all ask here.
/// </summary>
public sealed class HubQueueNames(IConfiguration configuration, string prefix) : IJobQueueNames
{
    /// <summary>Appended to a queue's name for the queue its failed messages move to, as the Functions host names it.</summary>
    public const string PoisonSuffix = "-poison";

    /// <summary>The longest queue name that leaves room for <see cref="PoisonSuffix"/> within Storage's 63 characters.</summary>
    public const int MaxNameLength = 63 - 7;

    public string NameOf(JobQueueDefinition queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return Configured(queue) ?? $"{prefix}-{queue.Id}";
    }

    /// <summary>The value of <paramref name="queue"/>'s setting, or null when it is absent or empty.</summary>
    public string? Configured(JobQueueDefinition queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return configuration[queue.NameSetting] is { Length: > 0 } name ? name : null;
    }

    public static string PoisonQueueOf(string queueName) => queueName + PoisonSuffix;

    /// <summary>
    /// Whether <paramref name="name"/> is a Storage Queue name (3 to 63 lowercase letters, digits and single hyphens,
    /// starting and ending with a letter or digit) short enough for its poison queue to be one too.
    /// </summary>
    public static bool IsValidName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length is >= 3 and <= MaxNameLength
            && IsLowerLetterOrDigit(name[0])
            && IsLowerLetterOrDigit(name[^1])
            && name.All(c => IsLowerLetterOrDigit(c) || c == '-')
            && !name.Contains("--", StringComparison.Ordinal);
    }

    private static bool IsLowerLetterOrDigit(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
