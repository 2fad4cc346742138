using System.Globalization;

namespace Integrations.Core.OAuth.Flows;

/// <summary>
/// What <c>authorize</c> answers: the provider's authorization URL, the hub's single-use start link, and when the state
/// expires. Both URLs carry a bearer value (the state, the start token): ToString shows neither.
/// </summary>
public sealed record StartedOAuthFlow(Uri AuthorizationUrl, Uri StartUrl, DateTimeOffset ExpiresAt, DateTimeOffset StartLinkExpiresAt, OAuthState State)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"StartedOAuthFlow {{ ExpiresAt = {ExpiresAt:O}, StartLinkExpiresAt = {StartLinkExpiresAt:O} }}");
}
