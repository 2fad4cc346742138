using Integrations.Api.Http;
using Integrations.Api.Jobs;
using Integrations.Api.Pipeline;
using Integrations.Core.Connections;
using Integrations.Core.OAuth.Flows;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Connections;

/// <summary>
/// Connecting an OAuth connection: <c>authorize</c> (browser round trip), <c>device</c> (RFC 8628, the hub polls), <c>grant</c>
/// (direct grants). The work is <see cref="ConnectFlowService"/>'s; these read the body and shape the answer. Grant parameters
/// are credentials: they reach the provider and nothing else (no problem, audit record or log carries one).
/// </summary>
public sealed class ConnectEndpoints(ConnectFlowService flows, ConnectionService connections, DevicePollingJob devicePolling)
{
    public async Task<IResult> AuthorizeAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<AuthorizeRequest>(request.Request, optional: true).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var started = await flows.AuthorizeAsync(request.Project, Id(request), body.Value.RedirectAfter, body.Value.Scopes, request.Caller.Id, cancellationToken)
            .ConfigureAwait(false);
        return started.IsSuccess
            ? Responses.Json(new AuthorizeResponse(started.Value.AuthorizationUrl, started.Value.StartUrl, started.Value.ExpiresAt))
            : Problems.From(started.Error);
    }

    public async Task<IResult> DeviceAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var started = await flows.StartDeviceAsync(request.Project, Id(request), cancellationToken).ConfigureAwait(false);
        if (!started.IsSuccess)
        {
            return Problems.From(started.Error);
        }

        var (connection, authorization) = started.Value;
        await devicePolling.BeginAsync(connection, authorization, request.Caller.Id, cancellationToken).ConfigureAwait(false);
        return Responses.Json(new DeviceResponse(authorization.UserCode, authorization.VerificationUri, authorization.VerificationUriComplete,
            (int)authorization.ExpiresIn.TotalSeconds, (int)authorization.Interval.TotalSeconds));
    }

    public async Task<IResult> GrantAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<GrantRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var granted = await flows.GrantAsync(request.Project, Id(request), body.Value.GrantType, body.Value.Parameters, request.Caller.Id, cancellationToken)
            .ConfigureAwait(false);
        if (!granted.IsSuccess)
        {
            return Problems.From(granted.Error);
        }

        var connection = await connections.GetAsync(request.Project, Id(request), cancellationToken).ConfigureAwait(false);
        return connection.IsSuccess ? Responses.Json(ConnectionStatusResponse.From(connection.Value)) : Problems.From(connection.Error);
    }

    private static string Id(HubRequest request) => request.Values.Required(ConnectionRoutes.IdParameter);
}
