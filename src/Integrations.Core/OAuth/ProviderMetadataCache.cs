using System.Collections.Concurrent;
using Integrations.Core.Common;
using Microsoft.Extensions.Options;

namespace Integrations.Core.OAuth;

/// <summary>
/// A provider's effective endpoints: its issuer's discovery document (read through <see cref="IProviderDiscovery"/>
/// and kept for <c>OAuth:DiscoveryCacheDuration</c>) with every hand-set endpoint taking precedence, or the hand-set
/// endpoints alone when it has no issuer. Failed discoveries are not cached: the next caller tries again. The cache is
/// per instance; a document read twice by two instances is harmless.
/// </summary>
public sealed class ProviderMetadataCache(IProviderDiscovery discovery, TimeProvider time, IOptions<OAuthOptions> options)
{
    /// <summary>Past this many issuers the cache starts over, so a stream of distinct issuers cannot grow it without bound.</summary>
    private const int MaxEntries = 1024;

    private readonly ConcurrentDictionary<string, (ProviderEndpoints Endpoints, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);

    /// <summary>The endpoints to use for <paramref name="provider"/> now.</summary>
    public async Task<Result<ProviderEndpoints>> ResolveAsync(OAuthProvider provider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        if (provider.Issuer is null)
        {
            return provider.Endpoints is { } endpoints
                ? endpoints
                : HubError.Invalid(ProviderErrors.MissingEndpoints, "The provider has neither an issuer nor endpoints.");
        }

        var discovered = await DiscoverAsync(provider.Issuer, cancellationToken).ConfigureAwait(false);
        return discovered.IsSuccess ? Merge(discovered.Value, provider.Endpoints) : discovered;
    }

    /// <summary>The issuer's discovered endpoints, from the cache while fresh.</summary>
    public async Task<Result<ProviderEndpoints>> DiscoverAsync(Uri issuer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var key = issuer.AbsoluteUri;
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && entry.Expires > now)
        {
            return entry.Endpoints;
        }

        var discovered = await discovery.DiscoverAsync(issuer, cancellationToken).ConfigureAwait(false);
        if (discovered.IsSuccess)
        {
            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }

            _entries[key] = (discovered.Value, time.GetUtcNow() + options.Value.DiscoveryCacheDuration);
        }

        return discovered;
    }

    /// <summary>Forgets the issuer's document (e.g. after its keys rotated and an id token failed to validate).</summary>
    public void Invalidate(Uri issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        _entries.TryRemove(issuer.AbsoluteUri, out _);
    }

    /// <summary>Discovered endpoints with each hand-set one in its place.</summary>
    public static ProviderEndpoints Merge(ProviderEndpoints discovered, ProviderEndpoints? handSet)
    {
        ArgumentNullException.ThrowIfNull(discovered);
        return handSet is null
            ? discovered
            : discovered with
            {
                Authorization = handSet.Authorization ?? discovered.Authorization,
                Token = handSet.Token,
                Revocation = handSet.Revocation ?? discovered.Revocation,
                DeviceAuthorization = handSet.DeviceAuthorization ?? discovered.DeviceAuthorization,
                UserInfo = handSet.UserInfo ?? discovered.UserInfo,
                JwksUri = handSet.JwksUri ?? discovered.JwksUri,
            };
    }
}
