namespace Integrations.Api.Admin;

/// <summary>Problem codes of the platform admin routes.</summary>
public static class AdminProblems
{
    public const string InvalidTarget = "invalid-target";
}
