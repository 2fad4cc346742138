using Integrations.Api.Authentication;
using Integrations.Api.Http;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Rotation;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api;

/// <summary>Platform operations: key rotation. The work runs on the key-rotation queue; the response returns at once.</summary>
public sealed class AdminEndpoints(EndpointRunner runner, KeyRotationService rotations, IJobDispatcher jobs)
{
    public Task<IResult> RotateKeysAsync(HttpContext context) =>
        runner.RunAsync(context, AuditActions.KeyRotationStart, Access.Admin, async (caller, audit, ct) =>
        {
            var body = await JsonBody.ReadAsync<RotateKeysRequest>(context.Request, optional: true).ConfigureAwait(false);
            if (!body.IsSuccess)
            {
                return Problems.From(body.Error!);
            }

            RotationKind? kind = body.Value!.Target switch
            {
                null or "data_keys" => RotationKind.DataKeys,
                "root_key" => RotationKind.RootKey,
                _ => null,
            };
            if (kind is null)
            {
                return Problems.From(HubError.Invalid("invalid-target", "target must be data_keys (new KEK, re-wrap every data key) or root_key (re-wrap the KEKs).", "target"));
            }

            var rotation = await rotations.StartAsync(kind.Value, ct).ConfigureAwait(false);
            audit.Target = $"rotation/{rotation.Id}";
            await jobs.EnqueueAsync(JobQueues.KeyRotation, rotation.Id, ct).ConfigureAwait(false);
            context.Response.Headers.Location = $"/v1/admin/keys/rotations/{rotation.Id}";
            return Responses.Json(Responses.Rotation(rotation), StatusCodes.Status202Accepted);
        });

    public Task<IResult> GetRotationAsync(HttpContext context, string rotationId) =>
        runner.RunAsync(context, AuditActions.KeyRotationRead, Access.Admin, async (caller, audit, ct) =>
        {
            var rotation = await rotations.GetAsync(rotationId, ct).ConfigureAwait(false);
            audit.Target = rotation is null ? null : $"rotation/{rotation.Id}";
            return rotation is null ? Problems.From(HubError.NotFound("rotation")) : Responses.Json(Responses.Rotation(rotation));
        });
}
