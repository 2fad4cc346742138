using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Integrations.Core.Common;
using Integrations.Core.OAuth;
using Integrations.Http.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Http.OAuth;

/// <summary>
/// Reads an issuer's metadata through <see cref="OutboundHttpClient"/> (SSRF guard, no redirects, size cap): first
/// OpenID Connect Discovery 1.0 §4 (<c>{issuer}/.well-known/openid-configuration</c>), then RFC 8414 §3
/// (<c>/.well-known/oauth-authorization-server</c> inserted between host and path, so an issuer with a path keeps it
/// after the well-known segment). The document's <c>issuer</c> must be the one asked for (RFC 8414 §3.3, OIDC
/// Discovery §4.3) — that is what stops a document from one server naming another server's endpoints — and every
/// endpoint must be absolute (https outside Development).
/// </summary>
public sealed partial class HttpProviderDiscovery(
    OutboundHttpClient client, OAuthEndpointPolicy policy, IOptions<OAuthOptions> options, ILogger<HttpProviderDiscovery> logger) : IProviderDiscovery
{
    public async Task<Result<ProviderEndpoints>> DiscoverAsync(Uri issuer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (!policy.IsAcceptable(issuer) || issuer.Query.Length > 0)
        {
            return Failed(policy.RequireHttps ? "the issuer must be an absolute https URL without query or fragment" : "the issuer must be an absolute http(s) URL without query or fragment");
        }

        HubError? last = null;
        foreach (var url in WellKnownUrls(issuer))
        {
            var result = await ReadAsync(issuer, url, cancellationToken).ConfigureAwait(false);
            if (result.IsSuccess)
            {
                return result;
            }

            last = result.Error;
        }

        Log.DiscoveryFailed(logger, issuer.GetLeftPart(UriPartial.Authority), last!.Message);
        return last;
    }

    /// <summary>The two places an issuer's metadata may be, in the order tried.</summary>
    public static IReadOnlyList<Uri> WellKnownUrls(Uri issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var path = issuer.AbsolutePath.TrimEnd('/');
        var authority = issuer.GetLeftPart(UriPartial.Authority);
        return
        [
            new Uri(authority + path + "/.well-known/openid-configuration"),
            new Uri(authority + "/.well-known/oauth-authorization-server" + path),
        ];
    }

    private async Task<Result<ProviderEndpoints>> ReadAsync(Uri issuer, Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var result = await client.SendAsync(request, new OutboundCallOptions { MaxAttempts = 2, TargetKey = "discovery:" + issuer.GetLeftPart(UriPartial.Authority) },
            cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return Failed(result.Failure.StatusCode is HttpStatusCode.NotFound ? $"{url.AbsolutePath} was not found" : result.Failure.Reason);
        }

        if (result.Response.StatusCode != HttpStatusCode.OK)
        {
            return Failed($"{url.AbsolutePath} answered HTTP {(int)result.Response.StatusCode}");
        }

        var body = await result.Response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (body.Length > options.Value.MaxDiscoveryDocumentBytes)
        {
            return Failed($"the metadata document is larger than OAuth:MaxDiscoveryDocumentBytes ({options.Value.MaxDiscoveryDocumentBytes} bytes)");
        }

        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
            return Parse(issuer, document.RootElement);
        }
        catch (JsonException)
        {
            return Failed("the metadata document is not JSON");
        }
    }

    private Result<ProviderEndpoints> Parse(Uri issuer, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Failed("the metadata document is not a JSON object");
        }

        // RFC 8414 §3.3: identical to the issuer the URL was built from. Compared as URIs so that only the empty path
        // of a bare host and its "/" count as equal (System.Uri gives both the same AbsoluteUri).
        if (String(root, "issuer") is not { } stated || !Uri.TryCreate(stated, UriKind.Absolute, out var statedIssuer)
            || !string.Equals(statedIssuer.AbsoluteUri, issuer.AbsoluteUri, StringComparison.Ordinal))
        {
            return Failed("the metadata document's issuer is not the issuer asked for");
        }

        var token = Endpoint(root, "token_endpoint");
        var authorization = Endpoint(root, "authorization_endpoint");
        var revocation = Endpoint(root, "revocation_endpoint");
        var device = Endpoint(root, "device_authorization_endpoint");
        var userInfo = Endpoint(root, "userinfo_endpoint");
        var jwks = Endpoint(root, "jwks_uri");
        if ((token.Error ?? authorization.Error ?? revocation.Error ?? device.Error ?? userInfo.Error ?? jwks.Error) is { } error)
        {
            return error;
        }

        if (token.Value is null)
        {
            return Failed("the metadata document has no token_endpoint");
        }

        return new ProviderEndpoints
        {
            Issuer = issuer,
            Authorization = authorization.Value,
            Token = token.Value,
            Revocation = revocation.Value,
            DeviceAuthorization = device.Value,
            UserInfo = userInfo.Value,
            JwksUri = jwks.Value,
            AuthorizationResponseIssParameterSupported = root.TryGetProperty("authorization_response_iss_parameter_supported", out var iss)
                && iss.ValueKind == JsonValueKind.True,
        };
    }

    private Result<Uri?> Endpoint(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return Result.Success<Uri?>(null);
        }

        // The name is ours; the value (which the document's author controls) is not quoted back.
        return value.ValueKind == JsonValueKind.String && Uri.TryCreate(value.GetString(), UriKind.Absolute, out var uri) && policy.IsAcceptable(uri)
            && uri.AbsoluteUri.Length <= ProviderRules.MaxEndpointLength
            ? uri
            : Failed($"the metadata document's {name} is not an absolute {(policy.RequireHttps ? "https" : "http(s)")} URL");
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static HubError Failed(string reason) => HubError.Invalid(ProviderErrors.DiscoveryFailed, $"Discovery failed: {reason}.", "issuer");

    private static partial class Log
    {
        // Ids 7150–7159: OAuth discovery, within the adapter's 7000–7199 range (Integrations.Http/Log.cs uses 7000–7099).
        [LoggerMessage(EventId = 7150, Level = LogLevel.Warning, Message = "Discovery for issuer at {Authority} failed: {Reason}")]
        public static partial void DiscoveryFailed(ILogger logger, string authority, string reason);
    }
}
