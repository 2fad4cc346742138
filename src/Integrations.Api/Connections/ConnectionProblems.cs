namespace Integrations.Api.Connections;

/// <summary>Problem codes the connection routes answer with besides the connection service's own.</summary>
public static class ConnectionProblems
{
    public const string InvalidPatch = "invalid-connection-patch";
}
