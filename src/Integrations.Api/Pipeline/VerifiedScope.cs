using Integrations.Core.Tenancy;

namespace Integrations.Api.Pipeline;

/// <summary>
/// What a request acts on, verified once by <see cref="ResolveScopeStep"/>: the caller's organization owns it.
/// Handlers take it as given and never re-check ownership.
/// </summary>
/// <param name="OrganizationId">The organization, or null for platform and public routes.</param>
/// <param name="Project">The project, for project routes.</param>
public sealed record VerifiedScope(string? OrganizationId, Project? Project)
{
    public static VerifiedScope None { get; } = new(null, null);
}
