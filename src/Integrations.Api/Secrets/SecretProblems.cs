namespace Integrations.Api.Secrets;

/// <summary>Problem codes the secrets routes answer with besides the vault's own.</summary>
public static class SecretProblems
{
    public const string InvalidIfMatch = "invalid-if-match";
    public const string InvalidPatch = "invalid-patch";

    /// <summary>A create named a secret under the hub's own prefix (<c>connection.</c>).</summary>
    public const string NameReserved = "secret-name-reserved";

    /// <summary>A reveal or change of a secret the hub manages (a connection's tokens).</summary>
    public const string ManagedByHub = "secret-managed-by-hub";
}
