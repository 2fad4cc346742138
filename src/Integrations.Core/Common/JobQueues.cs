namespace Integrations.Core.Common;

/// <summary>Names of the job queues both shells listen on.</summary>
public static class JobQueues
{
    public const string KeyRotation = "key-rotation";

    public static IReadOnlyList<string> All { get; } = [KeyRotation];
}
