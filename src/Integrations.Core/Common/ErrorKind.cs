namespace Integrations.Core.Common;

/// <summary>What kind of expected failure an operation ended in; the API maps each to one HTTP status.</summary>
public enum ErrorKind
{
    Invalid,
    NotFound,
    Conflict,
    PreconditionFailed,
    TooLarge,
    Forbidden,
    Unavailable,
}
