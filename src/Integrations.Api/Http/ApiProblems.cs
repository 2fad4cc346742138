using Integrations.Core.Common;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Http;

/// <summary>
/// Problems the pipeline and the shared HTTP helpers answer with, whatever the route. Each code is a stable problem
/// <c>type</c> (<see cref="Problems.TypePrefix"/> + code) and has an entry in docs/problems.md.
/// </summary>
public static class ApiProblems
{
    public const string Unauthenticated = "unauthenticated";
    public const string MissingScopeCode = "missing-scope";
    public const string AdminKeyRequired = "admin-key-required";
    public const string OrganizationKeyRequired = "organization-key-required";
    public const string RateLimited = "rate-limited";
    public const string AuditUnavailableCode = "audit-unavailable";
    public const string Unavailable = "unavailable";
    public const string KeysUnavailable = "keys-unavailable";
    public const string Internal = "internal";
    public const string Integrity = "integrity";
    public const string NoRoute = "no-route";
    public const string MalformedJson = "malformed-json";
    public const string InvalidEncoding = "invalid-encoding";
    public const string MissingBody = "missing-body";
    public const string UnsupportedMediaType = "unsupported-media-type";
    public const string BodyTooLarge = "body-too-large";
    public const string InvalidQuery = "invalid-query";
    public const string AuditRangeTooWide = "audit-range-too-wide";
    public const string UserTokenRequired = "user-token-required";

    public static HubError PlatformAdminOnly { get; } = new(ErrorKind.Forbidden, AdminKeyRequired, "Only the platform admin key may do this.");

    public static HubError OrganizationKeyOnly { get; } =
        new(ErrorKind.Forbidden, OrganizationKeyRequired, "Use an organization API key: the platform admin key sees no tenant data.");

    public static HubError UserOnly { get; } =
        new(ErrorKind.Forbidden, UserTokenRequired, "Only a signed-in person may do this: send their access token, not an API key.");

    public static HubError MissingScope(string scope) => new(ErrorKind.Forbidden, MissingScopeCode, $"The API key lacks the '{scope}' scope.");

    public static IResult UnauthenticatedResult() =>
        Problems.Create(StatusCodes.Status401Unauthorized, Unauthenticated, "Authentication required", "Send a valid API key as `Authorization: Bearer <key>`.");

    public static IResult TooManyRequests(TimeSpan retryAfter) =>
        Problems.Create(StatusCodes.Status429TooManyRequests, RateLimited, "Too many requests",
            $"Too many requests from this caller; retry after {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} seconds.");

    public static IResult AuditUnavailable() =>
        Problems.Create(StatusCodes.Status503ServiceUnavailable, AuditUnavailableCode, "Audit log unavailable",
            "The request was refused because its audit record could not be written.");

    public static IResult CredentialsUnavailable() =>
        Problems.Create(StatusCodes.Status503ServiceUnavailable, Unavailable, "Service unavailable", "Credentials cannot be checked right now; retry.");

    public static IResult StorageUnavailable() =>
        Problems.Create(StatusCodes.Status503ServiceUnavailable, Unavailable, "Service unavailable", "Retry shortly.");

    public static IResult KeyUnavailable() =>
        Problems.Create(StatusCodes.Status503ServiceUnavailable, KeysUnavailable, "Keys unavailable", "The key this value needs cannot be reached right now; retry.");

    public static IResult InternalError(string requestId) =>
        Problems.Create(StatusCodes.Status500InternalServerError, Internal, "Internal error", $"The request failed; quote request id {requestId} to support.");

    public static IResult IntegrityFailure(string requestId) =>
        Problems.Create(StatusCodes.Status500InternalServerError, Integrity, "Stored value failed integrity check",
            $"A stored value could not be authenticated; quote request id {requestId} to support.");

    public static IResult UnknownRoute() =>
        Problems.Create(StatusCodes.Status404NotFound, NoRoute, "Not found", "No API route matches this path; see /openapi.json.");
}
