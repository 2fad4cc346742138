namespace Integrations.Api.Secrets;

/// <summary>Problem codes the secrets routes answer with besides the vault's own.</summary>
public static class SecretProblems
{
    public const string InvalidIfMatch = "invalid-if-match";
    public const string InvalidPatch = "invalid-patch";
}
