using Integrations.Core.Identity;
using Integrations.Core.Identity.Organizations;

namespace Integrations.Core.Tests.Identity.Organizations;

/// <summary>The role matrix as documented (docs-i11-auth-http.md): one row per role, every scope named.</summary>
public sealed class RoleMatrixTests
{
    public static TheoryData<string, bool, bool, bool, bool> Matrix => new()
    {
        // scope                       owner  admin  member viewer
        { Scopes.SecretsRead,          true,  true,  true,  true },
        { Scopes.SecretsWrite,         true,  true,  true,  false },
        { Scopes.SecretsReveal,        true,  true,  false, false },
        { Scopes.SecretsPurge,         true,  true,  false, false },
        { Scopes.ProjectsWrite,        true,  true,  false, false },
        { Scopes.ProvidersRead,        true,  true,  true,  true },
        { Scopes.ProvidersWrite,       true,  true,  false, false },
        { Scopes.ConnectionsRead,      true,  true,  true,  true },
        { Scopes.ConnectionsWrite,     true,  true,  true,  false },
        { Scopes.ConnectionsToken,     true,  true,  false, false },
        { Scopes.ConnectionsProxy,     true,  true,  true,  false },
        { Scopes.WebhooksRead,         true,  true,  true,  true },
        { Scopes.WebhooksWrite,        true,  true,  true,  false },
        { Scopes.MessagesWrite,        true,  true,  true,  false },
        { Scopes.SendsWrite,           true,  true,  true,  false },
        { Scopes.MembersRead,          true,  true,  true,  true },
        { Scopes.MembersWrite,         true,  true,  false, false },
        { Scopes.MembersInvite,        true,  true,  false, false },
        { Scopes.Admin,                true,  false, false, false },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void ScopesOf_EachRole_HoldsExactlyTheDocumentedScopes(string scope, bool owner, bool admin, bool member, bool viewer)
    {
        Assert.Equal(
            (owner, admin, member, viewer),
            (Has(OrganizationRole.Owner), Has(OrganizationRole.Admin), Has(OrganizationRole.Member), Has(OrganizationRole.Viewer)));

        bool Has(OrganizationRole role) => RoleMatrix.ScopesOf(role).Contains(scope);
    }

    [Fact]
    public void Matrix_NamesEveryScope_SoANewScopeMustBeGivenToRoles()
    {
        var named = Matrix.Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(Scopes.All.OrderBy(s => s, StringComparer.Ordinal), named.OrderBy(s => s, StringComparer.Ordinal));
    }

    [Fact]
    public void ScopesOf_NoRole_HoldsAPlatformScope_SoNoPersonCanLogInAsOthers()
    {
        Assert.All(Enum.GetValues<OrganizationRole>(), role => Assert.DoesNotContain(Scopes.AuthSocialLogin, RoleMatrix.ScopesOf(role)));
        Assert.DoesNotContain(Scopes.AuthSocialLogin, Scopes.All);
        Assert.True(Scopes.IsKnown(Scopes.AuthSocialLogin));
    }

    [Fact]
    public void Roles_AreNested_EachHoldsEverythingTheOneBelowHolds()
    {
        Assert.Superset(RoleMatrix.ScopesOf(OrganizationRole.Admin).ToHashSet(), RoleMatrix.ScopesOf(OrganizationRole.Owner).ToHashSet());
        Assert.Superset(RoleMatrix.ScopesOf(OrganizationRole.Member).ToHashSet(), RoleMatrix.ScopesOf(OrganizationRole.Admin).ToHashSet());
        Assert.Superset(RoleMatrix.ScopesOf(OrganizationRole.Viewer).ToHashSet(), RoleMatrix.ScopesOf(OrganizationRole.Member).ToHashSet());
    }

    [Theory]
    [InlineData("owner", OrganizationRole.Owner)]
    [InlineData("viewer", OrganizationRole.Viewer)]
    [InlineData("Owner", null)]
    [InlineData("superuser", null)]
    [InlineData(null, null)]
    public void Parse_OnlyExactLowerCaseNames_AreRoles(string? name, OrganizationRole? expected) => Assert.Equal(expected, OrganizationRoles.Parse(name));
}
