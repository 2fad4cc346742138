using System.Globalization;
using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.Connections.Health;
using Integrations.Core.Connections.Proxy;
using Integrations.Core.Connections.Usage;
using Integrations.Core.Events;
using Integrations.Core.OAuth.Tokens;
using Integrations.Core.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Integrations.Api.Connections;

/// <summary>
/// The proxy (<c>{ANY} …/connections/{id}/proxy/{**path}</c>) and the test request (<c>POST …/test</c>): the caller's
/// request goes to the connection's base URL with the connection's credential, through <see cref="IProxyTransport"/>
/// (SSRF guard, timeout, retries, circuit); the answer comes back as the upstream sent it, with <c>X-Hub-Attempts</c>.
/// </summary>
public sealed partial class ProxyEndpoints(
    ConnectionService connections, OutboundCredentials credentials, ConnectionTester tester, IProxyTransport transport, ConnectionStateChanges states,
    ConnectionUsage usage, EventWriter events, TimeProvider time, ILogger<ProxyEndpoints> logger, ConnectionCache cache)
{
    /// <summary>How many attempts the upstream call took (the first, retries, and a 401 retry after a refresh).</summary>
    public const string AttemptsHeader = "X-Hub-Attempts";

    /// <summary>
    /// The caller's authentication override: <c>none</c> sends the request without the connection's credential,
    /// <c>connection</c> (the default) with it. A header, not a body or query member, because the body and query are the
    /// upstream's; a <c>Hub-*</c> header is never forwarded (<see cref="ProxyHeaders"/>).
    /// </summary>
    public const string AuthHeader = "Hub-Auth";

    public async Task<IResult> ProxyAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var id = request.Values.Required(ConnectionRoutes.IdParameter);
        // From this instance's cache when it holds the connection (see ConnectionCache for what invalidates it).
        var found = await connections.GetForUseAsync(request.Project, id, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Problems.From(found.Error);
        }

        var connection = found.Value;
        // The raw target: ASP.NET Core has already decoded the path and resolved its dot segments; the policy must see
        // what the upstream will act on, and a decoded %2e%2e would be read twice.
        var raw = request.Http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        if (ProxyPath.SplitRawTarget(raw, ["v1", "projects", request.Project.Id, "connections", id, "proxy"]) is not { } split)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, ProxyProblems.InvalidPath, "Invalid proxy path",
                "The request target does not reach the proxy route without dot segments; send the path below …/proxy/ as it is meant.");
        }

        if (Usable(connection) is { } unusable)
        {
            return unusable;
        }

        var resolved = ProxyPath.Resolve(connection.BaseUrl!, split.Path, split.Query);
        if (!resolved.IsValid)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, ProxyProblems.InvalidPath, "Invalid proxy path", resolved.Message);
        }

        var method = request.Request.Method;
        var decision = ProxyPolicyEvaluator.Evaluate(connection.Policy, method, resolved.Path);
        if (!decision.IsAllowed)
        {
            // The denial's outcome record (403) names the rule that refused it.
            request.Audit.Target = ConnectionRoutes.Target(id) + " (" + decision.Reason + ")";
            return Problems.Create(StatusCodes.Status403Forbidden, ProxyProblems.PolicyDenied, "Denied by the connection's policy",
                $"The request was not sent: {decision.Reason}.");
        }

        if (!TryReadAuthOverride(request.Request, out var useCredential))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, ProxyProblems.InvalidHubAuth, "Invalid Hub-Auth header",
                "Hub-Auth takes 'none' (send without the connection's credential) or 'connection' (the default).", AuthHeader);
        }

        var credential = useCredential
            ? await credentials.ResolveAsync(connection, resolved.Target, cancellationToken).ConfigureAwait(false)
            : new OutboundCredential(resolved.Target, [], null);
        if (!credential.IsSuccess)
        {
            return Problems.From(credential.Error);
        }

        var proxyRequest = new ProxyRequest
        {
            Method = method,
            Target = credential.Value.Target,
            Headers = [.. request.Request.Headers.SelectMany(h => h.Value.Select(v => KeyValuePair.Create(h.Key, v ?? string.Empty))),
                .. connection.DefaultHeaders.Where(h => ProxyHeaders.MayConfigure(h.Key))],
            CredentialHeaders = credential.Value.Headers,
            Body = HasBody(request.Request) ? request.Request.Body : null,
            BodyLength = request.Request.ContentLength,
            CircuitKey = connection.Id,
            RetryStrategy = connection.RetryStrategy ?? "exponential_backoff",
            MaxAttempts = connection.Retries + 1,
            AttemptTimeout = connection.Timeout,
            RefreshCredentials = credential.Value.Refresh,
        };

        ProxyResponse response;
        // The span names the connection and the method, never the target: its path and query are the caller's and may
        // carry an API key (the HTTP client span below it records the URL without its query).
        using (var activity = HubTelemetry.StartActivity("proxy " + method, System.Diagnostics.ActivityKind.Internal))
        {
            activity?.SetTag(HubTelemetry.Tags.OrganizationId, connection.OrganizationId);
            activity?.SetTag(HubTelemetry.Tags.ProjectId, connection.ProjectId);
            activity?.SetTag(HubTelemetry.Tags.ConnectionId, connection.Id);
            response = await transport.SendAsync(proxyRequest, cancellationToken).ConfigureAwait(false);
            var errorClass = HubTelemetry.ErrorClasses.Of(response.HasResponse ? response.StatusCode : 0, response.HasResponse ? null : ErrorClassOf(response.Failure.Kind));
            HubTelemetry.RecordProxyRequest(errorClass);
            activity?.SetTag(HubTelemetry.Tags.ErrorClass, errorClass);
            activity?.SetTag(HubTelemetry.Tags.Attempt, response.Attempts);
            if (response.HasResponse)
            {
                activity?.SetTag(HubTelemetry.Tags.StatusCode, response.StatusCode);
            }

            if (errorClass != HubTelemetry.ErrorClasses.None)
            {
                activity.Fail(errorClass);
            }
        }

        request.Response.Headers[AttemptsHeader] = response.Attempts.ToString(CultureInfo.InvariantCulture);
        if (response.HasResponse && response.StatusCode == StatusCodes.Status401Unauthorized && useCredential && !ConnectionTypes.IsOAuth(connection.Type))
        {
            // The upstream refused the static credential: perhaps its secret changed on another instance. The next call reads it again.
            cache.EvictCredential(connection);
        }

        await AccountAsync(connection, response).ConfigureAwait(false);
        if (!response.HasResponse)
        {
            await response.DisposeAsync().ConfigureAwait(false);
            return FailureProblem(request.Response, response.Failure);
        }

        return new ProxyResult(response, request.Http);
    }

    public async Task<IResult> TestAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var id = request.Values.Required(ConnectionRoutes.IdParameter);
        var found = await connections.GetAsync(request.Project, id, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Problems.From(found.Error);
        }

        var connection = found.Value;
        if (Usable(connection) is { } unusable)
        {
            return unusable;
        }

        var slot = await usage.TryAcquireTestAsync(connection, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (!slot.Taken)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(slot.RetryAfter.TotalSeconds));
            request.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Problems.Create(StatusCodes.Status429TooManyRequests, ProxyProblems.TestRateLimited, "Too many tests",
                $"This connection's test ran its limit of times in the last minute; retry after {seconds} seconds.");
        }

        var tested = await tester.TestAsync(connection, cancellationToken).ConfigureAwait(false);
        if (!tested.IsSuccess)
        {
            return Problems.From(tested.Error);
        }

        var result = tested.Value;
        request.Response.Headers[AttemptsHeader] = result.Attempts.ToString(CultureInfo.InvariantCulture);
        return Responses.Json(new TestResponse(result.Success, result.StatusCode, result.ResponseTimeMs, result.Message));
    }

    /// <summary>A 409 for a connection that must not send anything (disabled, needs re-authorization, revoked), or null. Direct sends use it too.</summary>
    internal static IResult? Usable(Connection connection) => ConnectionTester.BlockOf(connection) switch
    {
        ConnectionTestBlock.Disabled => Problems.Create(StatusCodes.Status409Conflict, TokenErrors.Disabled, "Connection disabled",
            "The connection is disabled: enable it first. Nothing was sent."),
        ConnectionTestBlock.NeedsReauth => Problems.Create(StatusCodes.Status409Conflict, TokenErrors.NeedsReauth, "Connection needs re-authorization",
            "The provider refused the connection's grant: connect it again. Nothing was sent."),
        ConnectionTestBlock.Revoked => Problems.Create(StatusCodes.Status409Conflict, ProxyProblems.Revoked, "Connection revoked",
            "The connection's tokens were revoked: connect it again. Nothing was sent."),
        ConnectionTestBlock.NoBaseUrl => Problems.Create(StatusCodes.Status409Conflict, ProxyProblems.NoBaseUrl, "No base URL",
            "The connection has no base_url: set one to send requests through it.", "base_url"),
        _ => null,
    };

    private static string ErrorClassOf(ProxyFailureKind kind) => kind switch
    {
        ProxyFailureKind.TargetRefused => HubTelemetry.ErrorClasses.TargetRefused,
        ProxyFailureKind.CircuitOpen => HubTelemetry.ErrorClasses.CircuitOpen,
        ProxyFailureKind.Timeout => HubTelemetry.ErrorClasses.Timeout,
        _ => HubTelemetry.ErrorClasses.Network,
    };

    private static bool TryReadAuthOverride(HttpRequest request, out bool useCredential)
    {
        var values = request.Headers[AuthHeader];
        useCredential = true;
        if (values.Count == 0)
        {
            return true;
        }

        if (values.Count == 1 && string.Equals(values[0]?.Trim(), "none", StringComparison.OrdinalIgnoreCase))
        {
            useCredential = false;
            return true;
        }

        return values.Count == 1 && string.Equals(values[0]?.Trim(), "connection", StringComparison.OrdinalIgnoreCase);
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    /// <summary>A reason as the end of a sentence: one full stop, whether or not the reason brought its own.</summary>
    private static string Sentence(string reason) => reason.EndsWith('.') ? reason : reason + ".";

    private static IResult FailureProblem(HttpResponse response, ProxyFailure failure)
    {
        switch (failure.Kind)
        {
            case ProxyFailureKind.TargetRefused:
                return Problems.Create(StatusCodes.Status502BadGateway, ProxyProblems.TargetRefused, "Upstream refused by the hub",
                    $"The request was not sent: {Sentence(failure.Reason)}");
            case ProxyFailureKind.CircuitOpen:
                response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((failure.RetryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return Problems.Create(StatusCodes.Status503ServiceUnavailable, ProxyProblems.CircuitOpen, "Connection's circuit open", $"The request was not sent: {Sentence(failure.Reason)}");
            case ProxyFailureKind.Timeout:
                return Problems.Create(StatusCodes.Status504GatewayTimeout, ProxyProblems.UpstreamTimeout, "Upstream timed out", Sentence(failure.Reason));
            default:
                return Problems.Create(StatusCodes.Status502BadGateway, ProxyProblems.UpstreamUnreachable, "Upstream unreachable", Sentence(failure.Reason));
        }
    }

    /// <summary>
    /// Counts the call, keeps the rate-limit headroom, and on their occasions: <c>last_used_at</c> (at most once per
    /// interval per instance), the one <c>connection.api_deprecated</c> event, the auth-error alert. The writes here are
    /// rare by construction; the common call only touches memory.
    /// </summary>
    private async Task AccountAsync(Connection connection, ProxyResponse response)
    {
        var now = time.GetUtcNow();
        var status = response.HasResponse ? response.StatusCode : 0;
        usage.RecordCall(connection, !response.HasResponse || status >= 500 || status is 401 or 403 or 429);
        if (!response.HasResponse)
        {
            return;
        }

        if (RateLimitHeadroom.Parse(response.Headers, now) is { } headroom)
        {
            usage.RecordHeadroom(connection.Id, headroom);
        }

        var notice = connection.State.ApiDeprecationSeenAt is null ? DeprecationNotice.Parse(response.Headers) : null;
        var announce = notice is not null && usage.TryClaimDeprecationCheck(connection.Id);
        var markUsed = usage.TryClaimLastUsedWrite(connection.Id, now);
        if (announce || markUsed)
        {
            var setByThisWrite = false;
            var written = await states.UpdateStateAsync(connection.OrganizationId, connection.ProjectId, connection.Id, s =>
            {
                setByThisWrite = announce && s.ApiDeprecationSeenAt is null;
                return s with
                {
                    LastUsedAt = markUsed || s.LastUsedAt is null ? now : s.LastUsedAt,
                    ApiDeprecationSeenAt = setByThisWrite ? now : s.ApiDeprecationSeenAt,
                };
            }, CancellationToken.None).ConfigureAwait(false);
            if (written.IsSuccess && setByThisWrite)
            {
                var data = new Dictionary<string, string>(StringComparer.Ordinal) { ["connection_id"] = connection.Id, ["name"] = connection.Name };
                if (notice!.DeprecatedAt is { } deprecatedAt)
                {
                    data["deprecated_at"] = deprecatedAt.ToString("O", CultureInfo.InvariantCulture);
                }

                if (notice.SunsetAt is { } sunsetAt)
                {
                    data["sunset_at"] = sunsetAt.ToString("O", CultureInfo.InvariantCulture);
                }

                await events.AppendAsync(connection.OrganizationId, connection.ProjectId, HubEventTypes.ConnectionApiDeprecated,
                    ConnectionRoutes.Target(connection.Id), data, CancellationToken.None).ConfigureAwait(false);
                Log.ApiDeprecated(logger, connection.OrganizationId, connection.ProjectId, connection.Id);
            }
        }

        if (status is 401 or 403 && await usage.RecordAuthErrorAsync(connection, now, CancellationToken.None).ConfigureAwait(false) is { } count)
        {
            // The event is written (once per window across instances); the log line is this instance's.
            Log.AuthErrorsSpike(logger, connection.OrganizationId, connection.ProjectId, connection.Id, count);
        }

        if (status >= 500 && await usage.RecordServerErrorAsync(connection, now, CancellationToken.None).ConfigureAwait(false) is { } serverErrors)
        {
            Log.ServerErrorsSpike(logger, connection.OrganizationId, connection.ProjectId, connection.Id, serverErrors);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8601, Level = LogLevel.Error, Message = "Connection {OrganizationId}/{ProjectId}/{ConnectionId}: {Count} 401/403 answers through the proxy in the alert window.")]
        public static partial void AuthErrorsSpike(ILogger logger, string organizationId, string projectId, string connectionId, int count);

        [LoggerMessage(EventId = 9870, Level = LogLevel.Error, Message = "Connection {OrganizationId}/{ProjectId}/{ConnectionId}: {Count} 5xx answers through the proxy in the alert window.")]
        public static partial void ServerErrorsSpike(ILogger logger, string organizationId, string projectId, string connectionId, int count);

        [LoggerMessage(EventId = 8602, Level = LogLevel.Warning, Message = "Connection {OrganizationId}/{ProjectId}/{ConnectionId}: the upstream announced a deprecation or sunset.")]
        public static partial void ApiDeprecated(ILogger logger, string organizationId, string projectId, string connectionId);
    }
}

/// <summary>The answer of <c>POST …/test</c>.</summary>
public sealed record TestResponse(bool Success, int? StatusCode, long ResponseTimeMs, string Message);
