namespace Integrations.Core.Common;

/// <summary>How a conditional write to a store ended. Stores never overwrite silently: a stale ETag is <see cref="Conflict"/>.</summary>
public enum WriteOutcome
{
    Written,
    Conflict,
    NotFound,
}
