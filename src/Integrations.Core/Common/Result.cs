namespace Integrations.Core.Common;

/// <summary>Factory for results whose value's static type is an interface (C# has no implicit conversion from interfaces).</summary>
public static class Result
{
    public static Result<T> Success<T>(T value) => Result<T>.FromValue(value);
}
