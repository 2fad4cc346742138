namespace Integrations.Core.Jobs;

/// <summary>Why a queue message ended without its job completing.</summary>
public enum JobFailureKind
{
    /// <summary>Its last allowed attempt failed; the message moves to the poison queue.</summary>
    Exhausted,

    /// <summary>The job judged the message meaningless (retrying cannot help) and completed it without doing its work.</summary>
    Rejected,

    /// <summary>Its last allowed attempt never reported an outcome (the process stopped during it); the message moves to the poison queue.</summary>
    Abandoned,
}
