using System.Net;
using System.Text;
using System.Text.Json;
using Duende.IdentityModel.Client;
using Integrations.Core.Common;
using Integrations.Core.OAuth.Protocol;
using Integrations.Http.Client;
using Integrations.Http.Resilience;

namespace Integrations.Http.OAuth;

/// <summary>
/// Classifies what came back from a provider call into the hub's <see cref="OAuthFailureKind"/>s:
/// <list type="bullet">
/// <item>nothing sent (SSRF guard, open circuit) → <see cref="OAuthFailureKind.Refused"/>;</item>
/// <item>network, timeout, 5xx, 429, 408 → <see cref="OAuthFailureKind.Transient"/>, with <c>Retry-After</c>;</item>
/// <item>a JSON object with <c>error</c> (RFC 6749 §5.2; any status — GitHub answers errors with 200) →
/// <see cref="OAuthFailureKind.ProtocolError"/>;</item>
/// <item>anything else that is not the expected JSON, or too large → <see cref="OAuthFailureKind.MalformedResponse"/>.</item>
/// </list>
/// Descriptions name the endpoint's host and never repeat a value that was sent (a provider may quote the bad token
/// back in <c>error_description</c>: such values are cut out).
/// </summary>
internal static class ProviderAnswer
{
    /// <summary>A provider's <c>error_description</c> is kept to this many characters.</summary>
    private const int MaxDescriptionLength = 200;

    /// <summary>The failure, if the call failed; null when <paramref name="response"/> is a usable JSON object.</summary>
    public static ProviderFailure? Classify(ProtocolResponse response, OutboundResult? outbound, Uri endpoint, IReadOnlyCollection<string> sentSecrets, TimeProvider time)
    {
        var host = endpoint.Authority;
        if (outbound is null)
        {
            // Duende failed before sending (it catches and wraps); nothing reached the provider.
            return Failure(OAuthFailureKind.MalformedResponse, null, $"the request to {host} could not be sent", null, null);
        }

        if (outbound.Response is null)
        {
            var failure = outbound.Failure!;
            return failure.Kind switch
            {
                OutboundErrorKind.TargetRefused => Failure(OAuthFailureKind.Refused, null, $"the outbound guard refused {host}", null, null, OAuthProtocolErrors.ProviderRefused, ErrorKind.Invalid),
                OutboundErrorKind.CircuitOpen => Failure(OAuthFailureKind.Refused, null, $"calls to {host} are suspended after repeated failures (circuit open)", null, failure.RetryAfter, OAuthProtocolErrors.ProviderCircuitOpen, ErrorKind.Unavailable),
                OutboundErrorKind.ResponseTooLarge => Failure(OAuthFailureKind.MalformedResponse, null, $"the response from {host} is larger than an OAuth response may be", null, null),
                OutboundErrorKind.Timeout => Failure(OAuthFailureKind.Transient, null, $"{host} did not answer in time", null, failure.RetryAfter),
                _ => Failure(OAuthFailureKind.Transient, null, $"could not reach {host} ({failure.Code})", null, failure.RetryAfter),
            };
        }

        var http = outbound.Response;
        var status = (int)http.StatusCode;
        if (status >= 500 || http.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout)
        {
            var retryAfter = outbound.Failure?.RetryAfter ?? RetryAfter.Read(http, time);
            return Failure(OAuthFailureKind.Transient, null, $"{host} answered HTTP {status}", status, retryAfter);
        }

        if (response.Json is not { ValueKind: JsonValueKind.Object } json)
        {
            // RFC 6750 §3: a protected resource (userinfo) puts its error in WWW-Authenticate, not in a body.
            if (http.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden && BearerError(http) is { } bearerError)
            {
                return Failure(OAuthFailureKind.ProtocolError, bearerError, $"{host} answered {bearerError}", status, null, OAuthProtocolErrors.ProviderError, ErrorKind.Invalid);
            }

            return Failure(OAuthFailureKind.MalformedResponse, null, $"{host} answered HTTP {status} without a JSON object", status, null);
        }

        if (json.TryGetProperty("error", out var error))
        {
            var code = error.ValueKind == JsonValueKind.String ? error.GetString() : null;
            if (code is null || !IsErrorCode(code))
            {
                return Failure(OAuthFailureKind.MalformedResponse, null, $"{host} answered HTTP {status} with an error that is not an OAuth error code", status, null);
            }

            var description = json.TryGetProperty("error_description", out var text) && text.ValueKind == JsonValueKind.String
                ? Scrub(text.GetString()!, sentSecrets)
                : null;
            return Failure(OAuthFailureKind.ProtocolError, code,
                description is null ? $"{host} answered {code}" : $"{host} answered {code}: {description}", status, null, OAuthProtocolErrors.ProviderError, ErrorKind.Invalid);
        }

        return status is >= 200 and < 300
            ? null
            : Failure(OAuthFailureKind.MalformedResponse, null, $"{host} answered HTTP {status} without an OAuth error", status, null);
    }

    public static ProviderFailure Malformed(Uri endpoint, string what, int? status) =>
        Failure(OAuthFailureKind.MalformedResponse, null, $"{endpoint.Authority} answered {what}", status, null);

    private static string? BearerError(HttpResponseMessage response)
    {
        foreach (var challenge in response.Headers.WwwAuthenticate)
        {
            foreach (var part in (challenge.Parameter ?? "").Split(',', StringSplitOptions.TrimEntries))
            {
                if (part.StartsWith("error=", StringComparison.OrdinalIgnoreCase) && part[6..].Trim('"') is { } code && IsErrorCode(code))
                {
                    return code;
                }
            }
        }

        return null;
    }

    /// <summary>RFC 6749 §5.2: error = 1*( %x20-21 / %x23-5B / %x5D-7E ); bounded so a page of text is not an "error code".</summary>
    private static bool IsErrorCode(string code) =>
        code.Length is > 0 and <= 64 && code.All(c => c is >= '\x20' and <= '\x7E' and not '"' and not '\\');

    /// <summary>Printable, bounded, and without any value the hub sent in this request.</summary>
    private static string? Scrub(string description, IReadOnlyCollection<string> sentSecrets)
    {
        foreach (var secret in sentSecrets)
        {
            if (secret.Length >= 4)
            {
                description = description.Replace(secret, "[redacted]", StringComparison.Ordinal);
            }
        }

        var builder = new StringBuilder(Math.Min(description.Length, MaxDescriptionLength));
        foreach (var c in description)
        {
            if (builder.Length == MaxDescriptionLength)
            {
                break;
            }

            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        var result = builder.ToString().Trim();
        return result.Length == 0 ? null : result;
    }

    private static ProviderFailure Failure(OAuthFailureKind kind, string? error, string description, int? status, TimeSpan? retryAfter, string? code = null, ErrorKind? errorKind = null)
    {
        var failure = new OAuthFailure(kind, error, description, status, retryAfter);
        code ??= kind switch
        {
            OAuthFailureKind.Transient => OAuthProtocolErrors.ProviderUnavailable,
            OAuthFailureKind.ProtocolError => OAuthProtocolErrors.ProviderError,
            _ => OAuthProtocolErrors.ProviderResponseInvalid,
        };
        return new ProviderFailure(failure, new HubError(errorKind ?? ErrorKind.Unavailable, code, Capitalize(description) + "."));
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}

/// <summary>A failed provider call, as the token API reports it (<see cref="Failure"/>) and as the other calls do (<see cref="Error"/>).</summary>
internal sealed record ProviderFailure(OAuthFailure Failure, HubError Error);
