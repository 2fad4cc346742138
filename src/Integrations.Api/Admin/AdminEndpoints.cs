using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.Rotation;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Admin;

/// <summary>Platform operations: key rotation. The work runs on the key-rotation queue; the response returns at once.</summary>
public sealed class AdminEndpoints(KeyRotationService rotations, IJobDispatcher jobs)
{
    public async Task<IResult> RotateKeysAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<RotateKeysRequest>(request.Request, optional: true).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        RotationKind? kind = body.Value.Target switch
        {
            null or "data_keys" => RotationKind.DataKeys,
            "root_key" => RotationKind.RootKey,
            _ => null,
        };
        if (kind is null)
        {
            return Problems.From(HubError.Invalid(AdminProblems.InvalidTarget, "target must be data_keys (new KEK, re-wrap every data key) or root_key (re-wrap the KEKs).", "target"));
        }

        var rotation = await rotations.StartAsync(kind.Value, cancellationToken).ConfigureAwait(false);
        request.Audit.Target = $"rotation/{rotation.Id}";
        await jobs.EnqueueAsync(JobQueues.KeyRotation, rotation.Id, cancellationToken).ConfigureAwait(false);
        request.Response.Headers.Location = $"/v1/admin/keys/rotations/{rotation.Id}";
        return Responses.Json(RotationResponse.From(rotation), StatusCodes.Status202Accepted);
    }

    public async Task<IResult> GetRotationAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var rotation = await rotations.GetAsync(request.Values.Required("rotationId"), cancellationToken).ConfigureAwait(false);
        request.Audit.Target = rotation is null ? null : $"rotation/{rotation.Id}";
        return rotation is null ? Problems.From(HubError.NotFound("rotation")) : Responses.Json(RotationResponse.From(rotation));
    }
}
