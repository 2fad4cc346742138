using System.Collections.Concurrent;
using Integrations.Core.Common;
using Integrations.Core.OAuth.Protocol;
using Integrations.Http.Client;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Integrations.Http.OAuth;

/// <summary>
/// The signing keys of each JWKS URI, fetched through <see cref="OutboundHttpClient"/> and kept for
/// <see cref="Lifetime"/>. A token whose <c>kid</c> the cached set lacks causes one refetch (the provider rotated its
/// keys), at most once per <see cref="MinimumRefetchInterval"/> per URI, so tokens naming random key ids cannot make
/// the hub hammer a provider. One fetch at a time per URI; callers waiting for it use its result.
/// </summary>
internal sealed class JwksCache(OutboundHttpClient http, TimeProvider time, ILogger<JwksCache> logger)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public static readonly TimeSpan MinimumRefetchInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>The keys of <paramref name="jwksUri"/>, refetched when <paramref name="keyId"/> is not among them (see the class remarks).</summary>
    public async Task<Result<IReadOnlyList<SecurityKey>>> GetAsync(Uri jwksUri, string circuitKey, string? keyId, CancellationToken cancellationToken = default)
    {
        var uri = jwksUri.AbsoluteUri;
        if (Fresh(uri, keyId) is { } cached)
        {
            return Result.Success(cached.Keys);
        }

        var gate = _gates.GetOrAdd(uri, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(uri, keyId) is { } fetchedMeanwhile)
            {
                return Result.Success(fetchedMeanwhile.Keys);
            }

            var refetch = _entries.ContainsKey(uri);
            var fetched = await FetchAsync(jwksUri, circuitKey, cancellationToken).ConfigureAwait(false);
            if (!fetched.IsSuccess)
            {
                return fetched.Error;
            }

            _entries[uri] = new Entry(fetched.Value, time.GetUtcNow());
            OAuthLog.JwksFetched(logger, jwksUri.Authority, jwksUri.AbsolutePath, fetched.Value.Count, refetch);
            return Result.Success(fetched.Value);
        }
        finally
        {
            gate.Release();
        }
    }

    private Entry? Fresh(string uri, string? keyId)
    {
        if (!_entries.TryGetValue(uri, out var entry))
        {
            return null;
        }

        var age = time.GetUtcNow() - entry.FetchedAt;
        if (age >= Lifetime)
        {
            return null;
        }

        var known = string.IsNullOrEmpty(keyId) || entry.Keys.Any(key => string.Equals(key.KeyId, keyId, StringComparison.Ordinal));
        return known || age < MinimumRefetchInterval ? entry : null;
    }

    private async Task<Result<IReadOnlyList<SecurityKey>>> FetchAsync(Uri jwksUri, string circuitKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, jwksUri);
        request.Headers.Accept.ParseAdd("application/jwk-set+json, application/json");
        using var result = await http.SendAsync(request, OAuthProtocol.CallOptions(circuitKey, 2), cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            var failure = result.Failure;
            var (code, kind) = failure.Kind switch
            {
                Resilience.OutboundErrorKind.TargetRefused => (OAuthProtocolErrors.ProviderRefused, ErrorKind.Invalid),
                Resilience.OutboundErrorKind.CircuitOpen => (OAuthProtocolErrors.ProviderCircuitOpen, ErrorKind.Unavailable),
                Resilience.OutboundErrorKind.ResponseTooLarge => (OAuthProtocolErrors.ProviderResponseInvalid, ErrorKind.Unavailable),
                _ => (OAuthProtocolErrors.ProviderUnavailable, ErrorKind.Unavailable),
            };
            OAuthLog.CallFailed(logger, "JWKS fetch", jwksUri.Authority, circuitKey, failure.Code, null, (int?)failure.StatusCode);
            return new HubError(kind, code, $"The key set at {jwksUri.Authority} could not be read ({failure.Code}).");
        }

        try
        {
            var body = await result.Response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var keys = new JsonWebKeySet(body).GetSigningKeys();
            return Result.Success<IReadOnlyList<SecurityKey>>([.. keys]);
        }
        catch (ArgumentException)
        {
            OAuthLog.CallFailed(logger, "JWKS fetch", jwksUri.Authority, circuitKey, "MalformedResponse", null, (int)result.Response.StatusCode);
            return new HubError(ErrorKind.Unavailable, OAuthProtocolErrors.ProviderResponseInvalid, $"The key set at {jwksUri.Authority} is not a JSON Web Key Set.");
        }
    }

    private sealed record Entry(IReadOnlyList<SecurityKey> Keys, DateTimeOffset FetchedAt);
}
