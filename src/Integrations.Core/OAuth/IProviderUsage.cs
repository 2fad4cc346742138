namespace Integrations.Core.OAuth;

/// <summary>
/// Whether connections still use a provider: asked before a provider is deleted, so no connection is left pointing
/// at nothing. The connections capability implements it; until it is registered, <see cref="NoProviderUsage"/> answers.
/// </summary>
public interface IProviderUsage
{
    /// <summary>True when any connection of the project uses the provider <paramref name="providerId"/>.</summary>
    Task<bool> IsInUseAsync(string organizationId, string projectId, string providerId, CancellationToken cancellationToken = default);
}

/// <summary>No connection uses any provider: the stand-in while no connection store is registered.</summary>
public sealed class NoProviderUsage : IProviderUsage
{
    public Task<bool> IsInUseAsync(string organizationId, string projectId, string providerId, CancellationToken cancellationToken = default) => Task.FromResult(false);
}
