using System.Text;
using Integrations.Api.Connections;
using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.Connections.Proxy;
using Integrations.Core.Identity;
using Integrations.Core.Sends;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Sends;

/// <summary>
/// <c>POST …/sends</c> and <c>GET …/sends/{id}</c>. A send is checked whole before anything is stored or sent: its
/// fields, the extra scope a connection needs, the condition (false: 200 <c>{skipped: true}</c>, nothing stored), the
/// template, and through a connection what the proxy would check (usable, path below the base URL, policy).
/// </summary>
public sealed class SendEndpoints(OutboundSendService sends, ConnectionService connections)
{
    public async Task<IResult> CreateAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadElementAsync(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var parsed = SendRules.Parse(body.Value, sends.Strategies);
        if (!parsed.IsSuccess)
        {
            return Problems.From(parsed.Error);
        }

        var spec = parsed.Value;
        if (spec.ConnectionId is not null && !request.Caller.HasScope(Scopes.ConnectionsProxy))
        {
            // The connection's credential is used: the same scope as its proxy.
            return Problems.From(ApiProblems.MissingScope(Scopes.ConnectionsProxy));
        }

        if (spec.Condition is { } condition)
        {
            var holds = SendCondition.Evaluate(condition, spec.Context);
            if (!holds.IsSuccess)
            {
                return Problems.From(holds.Error);
            }

            if (!holds.Value)
            {
                return Responses.Json(new SendSkippedResponse(true));
            }
        }

        var rendered = SendTemplate.Render(spec.Body, spec.Context);
        if (!rendered.IsSuccess)
        {
            return Problems.From(rendered.Error);
        }

        if (rendered.Value is { } text && Encoding.UTF8.GetByteCount(text) > SendRules.MaxBodyBytes)
        {
            return Problems.From(new HubError(ErrorKind.TooLarge, SendErrors.BodyTooLarge, $"The rendered body must be at most {SendRules.MaxBodyBytes} bytes.", "body"));
        }

        Connection? connection = null;
        if (spec.ConnectionId is { } connectionId)
        {
            var found = await connections.GetForUseAsync(request.Project, connectionId, cancellationToken).ConfigureAwait(false);
            if (!found.IsSuccess)
            {
                return Problems.From(found.Error);
            }

            connection = found.Value;
            if (ProxyEndpoints.Usable(connection) is { } unusable)
            {
                return unusable;
            }

            var resolved = ProxyPath.Resolve(connection.BaseUrl!, spec.Path, spec.Query);
            if (!resolved.IsValid)
            {
                return Problems.Create(StatusCodes.Status400BadRequest, ProxyProblems.InvalidPath, "Invalid path", resolved.Message!, "path");
            }

            var decision = ProxyPolicyEvaluator.Evaluate(connection.Policy, spec.Method, resolved.Path!);
            if (!decision.IsAllowed)
            {
                return Problems.Create(StatusCodes.Status403Forbidden, ProxyProblems.PolicyDenied, "Denied by the connection's policy",
                    $"The request was not sent: {decision.Reason}.");
            }
        }

        var send = await sends.StartAsync(request.Project, spec, rendered.Value, connection, cancellationToken).ConfigureAwait(false);
        request.Audit.Target = SendRoutes.Target(send.Id);
        return spec.Mode == SendMode.FireAndForget
            ? Responses.Json(new SendAcceptedResponse(send.Id, "pending"), StatusCodes.Status202Accepted)
            : Responses.Json(SendResponse.From(send));
    }

    public async Task<IResult> GetAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var send = await sends.GetAsync(request.Project, request.Values.Required(SendRoutes.IdParameter), cancellationToken).ConfigureAwait(false);
        return send.IsSuccess ? Responses.Json(SendResponse.From(send.Value)) : Problems.From(send.Error);
    }
}
