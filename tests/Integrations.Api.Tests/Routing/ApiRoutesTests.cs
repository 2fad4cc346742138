using Integrations.Api.Routing;

namespace Integrations.Api.Tests.Routing;

public sealed class ApiRoutesTests
{
    [Fact]
    public void Named_FindsEveryRouteByItsName_AndNamesAreUnique()
    {
        Assert.Equal(ApiRoutes.All.Count, ApiRoutes.All.Select(r => r.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(ApiRoutes.All, route => Assert.Same(route, ApiRoutes.Named(route.Name)));
    }

    [Fact]
    public void Named_UnknownName_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => ApiRoutes.Named("NoSuchRoute"));
    }

    [Fact]
    public void EveryRouteWithACaller_HasAnAuditAction_AndEveryPublicRouteIsUnlimited()
    {
        Assert.All(ApiRoutes.All.Where(r => r.Access.RequiresCaller), r => Assert.False(string.IsNullOrEmpty(r.AuditAction), r.Name));
        Assert.All(ApiRoutes.All.Where(r => r.Access is PublicAccess), r => Assert.Equal(RateLimitPolicies.None, r.RateLimitPolicy));
    }

    [Fact]
    public void EveryAnonymousRoute_IsAuditedAndLimitedPerSource()
    {
        var anonymous = ApiRoutes.All.Where(r => r.Access is AnonymousAccess).ToList();

        Assert.NotEmpty(anonymous);
        Assert.All(anonymous, r => Assert.False(string.IsNullOrEmpty(r.AuditAction), r.Name));
        Assert.All(anonymous, r => Assert.NotEqual(RateLimitPolicies.None, r.RateLimitPolicy));
    }

    [Fact]
    public void OnlyMessageSends_SkipTheAttemptRecord_AndNoRouteBothNamesItsTargetAndStoresItsActor()
    {
        // An attempt-free change is a deliberate exception to "recorded before it runs": a new one must be argued for here.
        Assert.Equal(["SendMessage"], ApiRoutes.All.Where(r => r.StoresItsActor).Select(r => r.Name));
        Assert.All(ApiRoutes.All.Where(r => r.StoresItsActor), r => Assert.True(r.ChangesState && !r.NamesItsTarget, r.Name));
    }
}
