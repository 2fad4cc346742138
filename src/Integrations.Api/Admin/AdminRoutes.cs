using Integrations.Api.Routing;
using Integrations.Core.Audit;

namespace Integrations.Api.Admin;

/// <summary>The platform admin routes: entries of the route table (<see cref="ApiRoutes"/>).</summary>
public static class AdminRoutes
{
    public static ApiRoute RotateKeys { get; } = new("RotateKeys", "POST", "v1/admin/keys/rotate", "Start a key rotation (target: data_keys or root_key).",
        RouteAccess.PlatformAdmin, AuditActions.KeyRotationStart, true, RateLimitPolicies.Standard,
        RouteHandlers.Of<AdminEndpoints>((e, r, ct) => e.RotateKeysAsync(r, ct)));

    public static ApiRoute GetKeyRotation { get; } = new("GetKeyRotation", "GET", "v1/admin/keys/rotations/{rotationId}", "A key rotation's progress.",
        RouteAccess.PlatformAdmin, AuditActions.KeyRotationRead, false, RateLimitPolicies.Standard,
        RouteHandlers.Of<AdminEndpoints>((e, r, ct) => e.GetRotationAsync(r, ct)));

    public static IReadOnlyList<ApiRoute> All { get; } = [RotateKeys, GetKeyRotation];
}
