namespace Integrations.Core.OAuth.Flows;

/// <summary>Why a callback's state was refused. Each maps to an <see cref="OAuthErrors"/> code for the failure page.</summary>
public enum OAuthStateRefusal
{
    /// <summary>No such state (never issued, malformed, deleted, or its row failed its MAC).</summary>
    Unknown,

    /// <summary>The state is past its lifetime: as if absent, nothing is consumed.</summary>
    Expired,

    /// <summary>A callback already consumed it (a replay, or the loser of two concurrent callbacks).</summary>
    AlreadyUsed,

    /// <summary>The <c>iss</c> parameter differs from the issuer recorded with the state (RFC 9207 §2.4: a mix-up).</summary>
    IssuerMismatch,

    /// <summary>The provider advertises <c>iss</c> in authorization responses but this one has none (RFC 9207 §2.4).</summary>
    IssuerMissing,

    /// <summary>The state is bound to a browser (its start link was opened) and the binding cookie is absent.</summary>
    BindingMissing,

    /// <summary>The binding cookie is present but is not this state's.</summary>
    BindingMismatch,
}
