namespace Integrations.Core.OAuth.Protocol;

/// <summary>What an id token must say (OpenID Connect Core §3.1.3.7): signed by a key of <see cref="JwksUri"/>, issued by <see cref="Issuer"/> for <see cref="ClientId"/>, carrying <see cref="Nonce"/>, unexpired.</summary>
public sealed record IdTokenExpectations(Uri JwksUri, string Issuer, string ClientId, string Nonce, string CircuitKey);
