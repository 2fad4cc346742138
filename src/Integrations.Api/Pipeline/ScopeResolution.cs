using Integrations.Core.Common;

namespace Integrations.Api.Pipeline;

/// <summary>The outcome of <see cref="ResolveScopeStep"/>.</summary>
/// <param name="Verified">What was verified to belong to the caller's organization (even when the route is refused for a missing scope).</param>
/// <param name="Refusal">Why the caller may not call the route, or null when it may.</param>
public sealed record ScopeResolution(VerifiedScope Verified, HubError? Refusal)
{
    public static ScopeResolution Allowed(VerifiedScope scope) => new(scope, null);

    public static ScopeResolution Refused(HubError refusal) => new(VerifiedScope.None, refusal);
}
