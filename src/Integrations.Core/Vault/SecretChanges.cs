namespace Integrations.Core.Vault;

/// <summary>
/// Tells this instance's caches that a project's secrets were written (created, updated, patched, deleted, restored or
/// purged) through <see cref="VaultService"/>, so that nothing derived from a secret's old value — an unsealed credential,
/// an access token — is used after the write on this instance.
/// </summary>
public sealed class SecretChanges
{
    private readonly Lock _gate = new();
    private Action<string, string>[] _listeners = [];

    /// <summary>Adds <paramref name="onProjectChanged"/> (organization id, project id), called after every secret write in a project.</summary>
    public void Subscribe(Action<string, string> onProjectChanged)
    {
        ArgumentNullException.ThrowIfNull(onProjectChanged);
        lock (_gate)
        {
            _listeners = [.. _listeners, onProjectChanged];
        }
    }

    /// <summary>A secret of <paramref name="location"/>'s project was (or may have been) written.</summary>
    public void Changed(SecretLocation location)
    {
        foreach (var listener in Volatile.Read(ref _listeners))
        {
            listener(location.OrganizationId, location.ProjectId);
        }
    }
}
