namespace Integrations.Core.Common;

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
