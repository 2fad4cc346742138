using Integrations.Infra.Tests.Arm;

namespace Integrations.Infra.Tests;

/// <summary>The app identity holds exactly the roles it needs, each on the narrowest scope (infra/app/rbac.bicep).</summary>
public sealed class RoleAssignmentTests
{
    /// <summary>Role definition id → the resource type it may be assigned on. Nothing else, nowhere broader.</summary>
    private static readonly Dictionary<string, (string Role, string Scope)> Allowed = new(StringComparer.OrdinalIgnoreCase)
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = ("Storage Blob Data Owner", "Microsoft.Storage/storageAccounts"),
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = ("Storage Queue Data Contributor", "Microsoft.Storage/storageAccounts"),
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = ("Storage Table Data Contributor", "Microsoft.Storage/storageAccounts"),
        ["12338af0-0e69-4776-bea7-57ae8d297424"] = ("Key Vault Crypto User", "Microsoft.KeyVault/vaults/keys"),
        ["4633458b-17de-408a-b874-0445c86b69e6"] = ("Key Vault Secrets User", "Microsoft.KeyVault/vaults/secrets"),
        ["3913510d-42f4-4e42-8a8a-88b4c9ceb4d8"] = ("Monitoring Metrics Publisher", "Microsoft.Insights/components"),
    };

    [Fact]
    public async Task RoleAssignments_AreExactlyTheListedRolesOnTheirScopes()
    {
        // Arrange
        var main = await CompiledTemplate.MainAsync();

        // Act
        var assignments = Assignments(main).ToList();

        // Assert: each listed role once, nothing else.
        Assert.Empty(assignments.SelectMany(Violations));
        Assert.Equal(Allowed.Keys.Order(StringComparer.Ordinal), assignments.Select(a => a.RoleId).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "/subscriptions/s/resourceGroups/rg")] // Owner on the resource group
    [InlineData("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "/subscriptions/s/resourceGroups/rg")] // Blob Data Owner, group-wide
    [InlineData("12338af0-0e69-4776-bea7-57ae8d297424", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv")] // every key
    [InlineData("4633458b-17de-408a-b874-0445c86b69e6", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv")] // every secret
    public void Violations_ABroaderRoleOrScope_IsReported(string roleId, string scope)
    {
        // Arrange: what a careless edit of rbac.bicep would compile to.
        var assignment = new RoleAssignment("main/rbac", roleId, scope, "⟨identity⟩.principalId");

        // Act
        var violations = Violations(assignment);

        // Assert
        Assert.NotEmpty(violations);
    }

    [Fact]
    public async Task RoleAssignments_AreAllForTheAppIdentity()
    {
        // Arrange
        var main = await CompiledTemplate.MainAsync();
        var identity = main.Module("identity");

        // Act
        var principals = Assignments(main).Select(a => a.PrincipalId).Distinct().ToList();

        // Assert
        var principal = Assert.Single(principals);
        Assert.Contains("/Microsoft.ManagedIdentity/userAssignedIdentities/" + identity.Parameter("name"), principal, StringComparison.Ordinal);
        Assert.EndsWith("|.principalId⟩", principal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FunctionApp_RunsOnlyAsTheUserAssignedIdentity()
    {
        // Arrange
        var api = (await CompiledTemplate.MainAsync()).Module("api");

        // Act
        var identity = (Dictionary<string, object?>)api.Evaluate(api.ResourcesOfType("Microsoft.Web/sites").Single()["identity"])!;

        // Assert: a system-assigned identity would be a second principal outside the role list.
        Assert.Equal("UserAssigned", identity["type"]);
        Assert.Single((Dictionary<string, object?>)identity["userAssignedIdentities"]!);
    }

    private sealed record RoleAssignment(string Template, string RoleId, string Scope, string PrincipalId);

    private static IEnumerable<RoleAssignment> Assignments(ArmScope main) =>
        new[] { main }.Concat(main.ModulesDeep()).SelectMany(scope => scope.ResourcesOfType("Microsoft.Authorization/roleAssignments").Select(r =>
        {
            var properties = (Dictionary<string, object?>)scope.Evaluate(r["properties"])!;
            var roleDefinitionId = (string)properties["roleDefinitionId"]!;
            // No scope property: the assignment applies to the whole resource group the template deploys to.
            var assignedScope = r["scope"] is { } s ? scope.Evaluate(s)?.ToString() ?? "" : "/subscriptions/s/resourceGroups/rg";
            return new RoleAssignment(scope.Path, roleDefinitionId[(roleDefinitionId.LastIndexOf('/') + 1)..], assignedScope, properties["principalId"]?.ToString() ?? "");
        }));

    private static IEnumerable<string> Violations(RoleAssignment assignment)
    {
        if (!Allowed.TryGetValue(assignment.RoleId, out var allowed))
        {
            yield return $"{assignment.Template}: role {assignment.RoleId} is not on the list.";
            yield break;
        }

        var scopeType = ResourceType(assignment.Scope);
        if (!string.Equals(scopeType, allowed.Scope, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{assignment.Template}: {allowed.Role} is assigned on {assignment.Scope} ({scopeType ?? "a resource group or subscription"}), not on one {allowed.Scope}.";
        }
    }

    /// <summary>The resource type a resource id names (e.g. Microsoft.KeyVault/vaults/keys), or null for a group or subscription.</summary>
    private static string? ResourceType(string resourceId)
    {
        var at = resourceId.LastIndexOf("/providers/", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var segments = resourceId[(at + "/providers/".Length)..].Split('/');
        return string.Join('/', new[] { segments[0] }.Concat(segments.Skip(1).Where((_, i) => i % 2 == 0)));
    }
}
