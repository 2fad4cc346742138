using Integrations.Core.OAuth.Protocol;

namespace Integrations.Core.OAuth.Tokens;

/// <summary>What a token request to a connection's provider needs. <see cref="Credentials"/> prints no secret.</summary>
public sealed record TokenClient(OAuthProvider Provider, ProviderEndpoints Endpoints, OAuthClientCredentials Credentials);
