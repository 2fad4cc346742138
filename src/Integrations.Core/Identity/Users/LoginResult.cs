using System.Diagnostics.CodeAnalysis;
using Integrations.Core.Common;

namespace Integrations.Core.Identity.Users;

/// <summary>
/// The outcome of a login: the tokens, or the error — and, when the throttle refused the attempt
/// (<see cref="UserErrors.LoginThrottled"/>), how long until another may be made: the route answers 429 with it as
/// <c>Retry-After</c> (no <see cref="ErrorKind"/> means 429, so the code is mapped there, not by kind).
/// </summary>
public sealed class LoginResult
{
    private LoginResult(UserTokens? tokens, HubError? error, TimeSpan? retryAfter)
    {
        Tokens = tokens;
        Error = error;
        RetryAfter = retryAfter;
        IsSuccess = error is null;
    }

    public UserTokens? Tokens { get; }

    public HubError? Error { get; }

    /// <summary>Set when the throttle refused the attempt.</summary>
    public TimeSpan? RetryAfter { get; }

    [MemberNotNullWhen(true, nameof(Tokens))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess { get; }

    public static LoginResult Success(UserTokens tokens) => new(tokens, null, null);

    public static LoginResult Failed(HubError error, TimeSpan? retryAfter = null) => new(null, error, retryAfter);

    public override string ToString() => IsSuccess ? $"LoginResult {{ {Tokens} }}" : $"LoginResult {{ Error = {Error.Code} }}";
}
