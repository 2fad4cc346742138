namespace Integrations.Cli;

/// <summary>What <c>ihub</c> exits with, so scripts can tell "fix the setup" from "the operation failed".</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The operation ran and failed, or found a problem (a broken audit chain, an unknown id).</summary>
    public const int Failure = 1;

    /// <summary>A setting or the command line is wrong: fix it and run again; nothing was changed.</summary>
    public const int Configuration = 2;
}
