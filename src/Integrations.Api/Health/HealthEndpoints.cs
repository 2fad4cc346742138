using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Integrations.Api.Health;

/// <summary>Public probes and the API description. No authentication, no audit, nothing secret.</summary>
public sealed partial class HealthEndpoints(IHubStorage storage, IRootKeyWrapper root, KeyRing keyRing, ILogger<HealthEndpoints> logger)
{
    /// <summary>Alive: the process answers.</summary>
    public static Task<IResult> HealthzAsync() => Task.FromResult(Responses.Json(new { status = "ok" }));

    /// <summary>Ready: storage answers, the root key is usable and the key ring is loaded.</summary>
    public async Task<IResult> ReadyzAsync(HubRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await storage.CheckAsync(cancellationToken).ConfigureAwait(false);
            await root.CheckAsync(cancellationToken).ConfigureAwait(false);
            await keyRing.GetActiveAsync(cancellationToken).ConfigureAwait(false);
            return Responses.Json(new { status = "ready" });
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.NotReady(logger, ex);
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, HealthProblems.NotReady, "Not ready", "Storage or the root key is not reachable yet.");
        }
    }

    public static Task<IResult> OpenApiAsync() => Task.FromResult(Results.Text(OpenApiDocument.Json, "application/json"));

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Readiness check failed.")]
        public static partial void NotReady(ILogger logger, Exception exception);
    }
}
