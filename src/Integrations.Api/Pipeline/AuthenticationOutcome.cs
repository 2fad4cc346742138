using Integrations.Core.Identity;

namespace Integrations.Api.Pipeline;

/// <summary>An authenticated caller, or why there is none.</summary>
/// <param name="Caller">The caller, when authentication succeeded.</param>
/// <param name="Failure">Why the credential was refused (audited; the client only ever sees 401).</param>
/// <param name="PresentedCredential">On failure, the credential as presented: the audit log keeps only its keyed HMAC. Never logged.</param>
public sealed record AuthenticationOutcome(Caller? Caller, AuthenticationFailure? Failure, string? PresentedCredential)
{
    public static AuthenticationOutcome Missing { get; } = new(null, AuthenticationFailure.Missing, null);

    public static AuthenticationOutcome Success(Caller caller) => new(caller, null, null);

    public static AuthenticationOutcome Refused(AuthenticationFailure failure, string? credential) => new(null, failure, credential);

    /// <summary>Never prints the presented credential (it may be a real, revoked or expired key).</summary>
    public override string ToString() => Caller is { } caller ? $"Authenticated {caller.Kind} {caller.Id}" : $"Refused ({Failure})";
}
