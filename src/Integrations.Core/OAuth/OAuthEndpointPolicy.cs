using Microsoft.Extensions.Hosting;

namespace Integrations.Core.OAuth;

/// <summary>
/// Whether provider endpoints (and issuers) must be https. They must, except when the host runs in the Development
/// environment (<see cref="HostEnvironmentEnvExtensions.IsDevelopment"/>), where a local authorization server on
/// http://localhost is normal. A host without an environment counts as production.
/// </summary>
public sealed class OAuthEndpointPolicy(bool requireHttps)
{
    public bool RequireHttps { get; } = requireHttps;

    /// <summary>The policy for <paramref name="environment"/>: https everywhere but Development.</summary>
    public static OAuthEndpointPolicy For(IHostEnvironment? environment) => new(environment is null || !environment.IsDevelopment());

    /// <summary>True when <paramref name="uri"/> is absolute http(s) without user info or fragment, and https when required.</summary>
    public bool IsAcceptable(Uri? uri) =>
        uri is { IsAbsoluteUri: true } && (uri.Scheme == Uri.UriSchemeHttps || (!RequireHttps && uri.Scheme == Uri.UriSchemeHttp))
        && uri.UserInfo.Length == 0 && uri.Fragment.Length == 0;
}
