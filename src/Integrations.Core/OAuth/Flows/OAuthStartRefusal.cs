namespace Integrations.Core.OAuth.Flows;

/// <summary>Why a start link did not start a flow.</summary>
public enum OAuthStartRefusal
{
    /// <summary>No such link (malformed, never issued, cleaned up, or its row failed its MAC).</summary>
    Unknown,

    /// <summary>The link was opened before: it works once.</summary>
    AlreadyUsed,

    /// <summary>The link (or its state) is past its lifetime.</summary>
    Expired,
}
