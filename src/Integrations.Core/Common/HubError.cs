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

/// <summary>
/// An expected failure (not found, conflict, invalid input…): a value the caller handles, not an exception.
/// <see cref="Code"/> is stable and becomes the problem <c>type</c>; <see cref="Message"/> never contains a secret.
/// </summary>
public sealed record HubError(ErrorKind Kind, string Code, string Message, string? Field = null)
{
    public static HubError Invalid(string code, string message, string? field = null) => new(ErrorKind.Invalid, code, message, field);

    public static HubError NotFound(string what) => new(ErrorKind.NotFound, "not-found", $"The {what} does not exist.");

    public static HubError Conflict(string code, string message) => new(ErrorKind.Conflict, code, message);
}

/// <summary>The value of an operation or the <see cref="HubError"/> it ended in.</summary>
public readonly struct Result<T>
{
    private Result(T? value, HubError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public HubError? Error { get; }

    public bool IsSuccess => Error is null;

    public static implicit operator Result<T>(T value) => new(value, null);

    internal static Result<T> FromValue(T value) => new(value, null);

    public static implicit operator Result<T>(HubError error) => new(default, error);
}

/// <summary>Factory for results whose value's static type is an interface (C# has no implicit conversion from interfaces).</summary>
public static class Result
{
    public static Result<T> Success<T>(T value) => Result<T>.FromValue(value);
}
