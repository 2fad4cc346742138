using Integrations.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>Platform administration (key rotation); see <see cref="AdminEndpoints"/>.</summary>
public sealed class AdminFunctions(AdminEndpoints endpoints)
{
    [Function("RotateKeys")]
    public Task<IResult> RotateKeys([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/keys/rotate")] HttpRequest request) =>
        endpoints.RotateKeysAsync(request.HttpContext);

    [Function("GetKeyRotation")]
    public Task<IResult> GetKeyRotation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/admin/keys/rotations/{rotationId}")] HttpRequest request, string rotationId) =>
        endpoints.GetRotationAsync(request.HttpContext, rotationId);
}
