using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Integrations.Api.Routing;
using Integrations.Core.Identity;
using Integrations.Core.Identity.Organizations;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Identity;

/// <summary>
/// One hub with an organization that has a real project, and a person of each of the four roles in it (their access tokens
/// speak for it). Per-caller limits are raised: the matrix sends a request per route and role.
/// </summary>
public sealed partial class RoleMatrixHubFixture : IAsyncLifetime
{
    public HubFixture Hub { get; } = new();

    public Tenant Tenant { get; private set; } = null!;

    /// <summary>An access token per role, each for <see cref="Tenant"/>'s organization.</summary>
    public Dictionary<OrganizationRole, string> Tokens { get; } = [];

    public async Task InitializeAsync()
    {
        Hub.Settings["RateLimits:PerCredentialPerMinute"] = "100000";
        Hub.Settings["RateLimits:Policies:auth"] = "1000";
        await Hub.InitializeAsync();
        Tenant = await Hub.CreateTenantAsync();
        var memberships = Hub.Services.GetRequiredService<IMembershipStore>();
        using var anonymous = Hub.Client();
        foreach (var role in Enum.GetValues<OrganizationRole>())
        {
            var email = AuthHubFixture.NewEmail();
            var signedUp = await Json(await anonymous.PostAsJsonAsync("/v1/auth/signup", new { email, password = AuthHubFixture.Password }), HttpStatusCode.Created);
            await memberships.AddAsync(new Membership(Tenant.OrganizationId, (string)signedUp["user"]!["id"]!, role, Personal: false, TimeProvider.System.GetUtcNow()));
            var login = await Json(await anonymous.PostAsJsonAsync("/v1/auth/login", new { email, password = AuthHubFixture.Password, organization_id = Tenant.OrganizationId }),
                HttpStatusCode.OK);
            Assert.Equal(OrganizationRoles.Name(role), (string?)login["role"]);
            Tokens[role] = (string)login["access_token"]!;
        }
    }

    public Task DisposeAsync() => Hub.DisposeAsync();
}

/// <summary>
/// The role matrix over every route of the table, not only the ones a hand-written test remembers: for each organization or
/// project route and each role, a person's access token is refused (403) exactly when <see cref="RoleMatrix"/> lacks the
/// route's scope(s), and gets past the scope step otherwise. A route added without a scope fails here unless it is listed as
/// open to any member.
/// </summary>
public sealed partial class RoleMatrixApiTests(RoleMatrixHubFixture fixture) : IClassFixture<RoleMatrixHubFixture>
{
    // Organization routes any member (and any API key of the organization) may call: reads of the provider catalog and the
    // project list. Anything else without a scope is a mistake to be caught here.
    private static readonly HashSet<string> AnyMember = new(StringComparer.Ordinal) { "ListProjects", "ListProviderTemplates", "GetProviderTemplate" };

    public static TheoryData<string> ScopedRoutes()
    {
        var data = new TheoryData<string>();
        foreach (var route in ApiRoutes.All.Where(r => r.Access is OrganizationAccess or ProjectAccess))
        {
            data.Add(route.Name);
        }

        return data;
    }

    [Fact]
    public void RouteTable_EveryOrganizationRouteWithoutAScope_IsListedAsOpenToAnyMember()
    {
        var unscoped = ApiRoutes.All.Where(r => r.Access is OrganizationAccess { Scope: null }).Select(r => r.Name).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(AnyMember.Order(StringComparer.Ordinal).ToArray(), unscoped);
    }

    [Fact]
    public void RouteTable_HasOrganizationAndProjectRoutesForEveryScope()
    {
        var required = ApiRoutes.All.SelectMany(r => r.Access switch
        {
            OrganizationAccess { Scope: { } scope } => [scope],
            ProjectAccess project => project.AlsoRequired is { } also ? [project.Scope, also] : new[] { project.Scope },
            _ => [],
        }).ToHashSet(StringComparer.Ordinal);

        // Every scope a role can hold guards at least one route (a scope nobody checks would be a role change that does nothing).
        Assert.All(Scopes.All, s => Assert.Contains(s, required));
    }

    [Theory]
    [MemberData(nameof(ScopedRoutes))]
    public async Task Route_EachRole_IsRefusedExactlyWhenTheRoleMatrixLacksItsScopes(string name)
    {
        var route = ApiRoutes.Named(name);
        var (required, expectUnscoped) = route.Access switch
        {
            OrganizationAccess organization => (organization.Scope is { } s ? new[] { s } : [], organization.Scope is null),
            ProjectAccess project => (project.AlsoRequired is { } also ? new[] { project.Scope, also } : [project.Scope], false),
            _ => throw new InvalidOperationException(name),
        };
        Assert.True(!expectUnscoped || AnyMember.Contains(name), $"{name} has no scope and is not listed as open to any member.");
        var path = "/" + PathParameter().Replace(route.Template, m => Value(m.Groups[1].Value));
        var method = route.Method == ApiRoute.AnyMethod ? "GET" : route.Method;

        var outcomes = new List<string>();
        foreach (var (role, token) in fixture.Tokens)
        {
            using var client = fixture.Hub.Client(token);
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT" or "PATCH")
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request);
            var granted = RoleMatrix.ScopesOf(role);
            var mayCall = required.All(granted.Contains);
            var refused = response.StatusCode == HttpStatusCode.Forbidden;
            if (refused)
            {
                // The refusal must be the scope step's, not some later 403 that would hide a missing check.
                var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                Assert.Equal("urn:integrations-hub:problem:missing-scope", (string?)problem["type"]);
            }

            if (refused == mayCall)
            {
                outcomes.Add($"{role}: {(int)response.StatusCode} (role {(mayCall ? "holds" : "lacks")} {string.Join(" + ", required)})");
            }
        }

        Assert.True(outcomes.Count == 0, $"{method} {path}: " + string.Join("; ", outcomes));
    }

    // Real organization and project ids (ownership is checked before scopes); made-up but well-formed values for the rest.
    private string Value(string parameter) => parameter switch
    {
        "orgId" => fixture.Tenant.OrganizationId,
        "projectId" => fixture.Tenant.ProjectId,
        "path" => "anything",
        _ => parameter.EndsWith("Id", StringComparison.Ordinal) ? parameter[..^2].ToLowerInvariant() + "_0000000000000000" : "made-up-" + parameter.ToLowerInvariant(),
    };

    [GeneratedRegex(@"\{\*{0,2}(\w+)\}")]
    private static partial Regex PathParameter();
}
