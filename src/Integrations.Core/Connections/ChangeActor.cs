namespace Integrations.Core.Connections;

/// <summary>Who changes a connection's status, as the audit log names them: an API caller, or a job (<see cref="Job"/>).</summary>
public sealed record ChangeActor(string Type, string Id)
{
    /// <summary>A timer or queue job of the hub, e.g. <c>job:RefreshTokens</c>.</summary>
    public static ChangeActor Job(string name) => new("System", "job:" + name);
}
