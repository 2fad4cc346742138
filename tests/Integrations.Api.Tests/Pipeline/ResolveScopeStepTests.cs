using Integrations.Api.Admin;
using Integrations.Api.ApiKeys;
using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Integrations.Api.Secrets;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Api.Tests.Pipeline;

/// <summary>The scope step alone, against the real tenancy store (Azurite) of a Server that is never called over HTTP here.</summary>
public sealed class ResolveScopeStepTests(HubFixture hub) : IClassFixture<HubFixture>
{
    private ResolveScopeStep Step => hub.Services.GetRequiredService<ResolveScopeStep>();

    private static Caller Key(string organization, params string[] scopes) => new(CallerKind.ApiKey, "key_test", organization, scopes.ToHashSet(StringComparer.Ordinal));

    private static RouteValues Secret(string projectId) => new(SecretRoutes.Get, [projectId, "db"]);

    [Fact]
    public async Task OwnProject_WithTheScope_IsVerified()
    {
        var tenant = await hub.CreateTenantAsync();

        var resolution = await Step.RunAsync(Key(tenant.OrganizationId, Scopes.SecretsRead), SecretRoutes.Get, Secret(tenant.ProjectId));

        Assert.Null(resolution.Refusal);
        Assert.Equal(tenant.ProjectId, resolution.Verified.Project?.Id);
        Assert.Equal(tenant.OrganizationId, resolution.Verified.OrganizationId);
    }

    [Fact]
    public async Task AnotherTenantsProject_IsNotFound_WhateverTheScopes_AndNothingIsVerified()
    {
        var victim = await hub.CreateTenantAsync("Victim");
        var attacker = await hub.CreateTenantAsync("Attacker");

        var withScope = await Step.RunAsync(Key(attacker.OrganizationId, Scopes.SecretsRead), SecretRoutes.Get, Secret(victim.ProjectId));
        var withoutScope = await Step.RunAsync(Key(attacker.OrganizationId), SecretRoutes.Get, Secret(victim.ProjectId));

        Assert.All([withScope, withoutScope], r =>
        {
            Assert.Equal(ErrorKind.NotFound, r.Refusal?.Kind);
            Assert.Null(r.Verified.Project);
        });
    }

    [Theory]
    [InlineData("prj_aaaaaaaaaaaaaaaaaaaa")]
    [InlineData("not-a-project-id")]
    public async Task UnknownOrMalformedProject_IsNotFound(string projectId)
    {
        var tenant = await hub.CreateTenantAsync();

        var resolution = await Step.RunAsync(Key(tenant.OrganizationId, Scopes.SecretsRead), SecretRoutes.Get, Secret(projectId));

        Assert.Equal(ErrorKind.NotFound, resolution.Refusal?.Kind);
    }

    [Fact]
    public async Task OwnProject_WithoutTheScope_IsForbidden_ButTheProjectIsKnownForTheAudit()
    {
        var tenant = await hub.CreateTenantAsync();

        var resolution = await Step.RunAsync(Key(tenant.OrganizationId, Scopes.SecretsRead), SecretRoutes.Reveal, new RouteValues(SecretRoutes.Reveal, [tenant.ProjectId, "db"]));

        Assert.Equal("missing-scope", resolution.Refusal?.Code);
        Assert.Equal(tenant.ProjectId, resolution.Verified.Project?.Id);
    }

    [Fact]
    public async Task OrganizationRoute_ForAnotherOrganization_IsNotFound_AndPlatformRoutesNeedTheAdminKey()
    {
        var tenant = await hub.CreateTenantAsync();
        var route = ApiKeyRoutes.List;

        var foreign = await Step.RunAsync(Key(tenant.OrganizationId, Scopes.Admin), route, new RouteValues(route, [Ids.New("org")]));
        var adminOnTenantRoute = await Step.RunAsync(Caller.PlatformAdmin, route, new RouteValues(route, [tenant.OrganizationId]));
        var keyOnPlatformRoute = await Step.RunAsync(Key(tenant.OrganizationId, Scopes.All.ToArray()), AdminRoutes.RotateKeys, new RouteValues(AdminRoutes.RotateKeys, []));

        Assert.Equal(ErrorKind.NotFound, foreign.Refusal?.Kind);
        Assert.Equal("organization-key-required", adminOnTenantRoute.Refusal?.Code);
        Assert.Equal("admin-key-required", keyOnPlatformRoute.Refusal?.Code);
    }
}
