namespace Integrations.Api.Health;

/// <summary>Problem codes of the probes.</summary>
public static class HealthProblems
{
    public const string NotReady = "not-ready";
}
