namespace Integrations.Core.Common;

/// <summary>
/// A durable work queue (<see cref="JobQueues"/>). Its Storage Queue name is read from one setting,
/// <see cref="NameSetting"/>, by everything that touches the queue: the enqueue side, the Server's worker and the
/// Functions trigger (which binds it as <c>%NameSetting%</c>).
/// </summary>
/// <param name="Id">Lowercase letters, digits and hyphens; where the setting is absent the Server names the queue <c>{Storage:Prefix}-{Id}</c>.</param>
/// <param name="NameSetting">The configuration key holding the queue's name, e.g. <c>Jobs:Queues:KeyRotation</c> (in app settings and environment variables <c>Jobs__Queues__KeyRotation</c>).</param>
public sealed record JobQueueDefinition(string Id, string NameSetting);
