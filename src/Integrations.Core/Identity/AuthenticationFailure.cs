namespace Integrations.Core.Identity;

/// <summary>Why a credential was refused; the API answers 401 for all of them and audits which one it was.</summary>
public enum AuthenticationFailure
{
    Missing,
    Malformed,
    Unknown,
    Expired,
    Revoked,

    /// <summary>A credential this environment does not accept at all (the Development-only <c>X-Principal-Id</c> header elsewhere).</summary>
    NotAllowed,
}
