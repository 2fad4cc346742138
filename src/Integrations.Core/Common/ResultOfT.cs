using System.Diagnostics.CodeAnalysis;

namespace Integrations.Core.Common;

/// <summary>The value of an operation or the <see cref="HubError"/> it ended in.</summary>
/// <remarks>
/// After <c>if (result.IsSuccess)</c> the compiler knows <see cref="Value"/> is set, and after <c>if (!result.IsSuccess)</c>
/// that <see cref="Error"/> is, so callers need no <c>!</c>. (When <typeparamref name="T"/> is itself nullable, such as
/// <c>int?</c>, a success may still carry null: "no value given" is then the value.)
/// </remarks>
public readonly struct Result<T>
{
    private Result(T? value, HubError? error)
    {
        Value = value;
        Error = error;
        IsSuccess = error is null;
    }

    public T? Value { get; }

    public HubError? Error { get; }

    // Stored rather than computed from Error: the compiler trusts the attributes of an auto-property, while a computed
    // getter (Error is null) cannot show it that Value is set.
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess { get; }

    public static implicit operator Result<T>(T value) => new(value, null);

    internal static Result<T> FromValue(T value) => new(value, null);

    public static implicit operator Result<T>(HubError error) => new(default, error);
}
