namespace Integrations.Core.OAuth.Protocol;

/// <summary>
/// A failed provider call. <see cref="Error"/> is the OAuth error code (<c>invalid_grant</c>,
/// <c>authorization_pending</c>, <c>slow_down</c> …) for <see cref="OAuthFailureKind.ProtocolError"/>;
/// <see cref="Description"/> is the provider's <c>error_description</c> or the hub's own words — never a credential.
/// </summary>
public sealed record OAuthFailure(OAuthFailureKind Kind, string? Error, string Description, int? StatusCode = null, TimeSpan? RetryAfter = null);
