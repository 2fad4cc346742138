using Integrations.Api.Http;
using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Integrations.Api;

/// <summary>Public probes and the API description. No authentication, no audit, nothing secret.</summary>
public sealed partial class HealthEndpoints(IHubStorage storage, IRootKeyWrapper root, KeyRing keyRing, ILogger<HealthEndpoints> logger)
{
    /// <summary>Alive: the process answers.</summary>
    public static IResult Healthz() => Responses.Json(new { status = "ok" });

    /// <summary>Ready: storage answers, the root key is usable and the key ring is loaded.</summary>
    public async Task<IResult> ReadyzAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        try
        {
            await storage.CheckAsync(ct).ConfigureAwait(false);
            await root.CheckAsync(ct).ConfigureAwait(false);
            await keyRing.GetActiveAsync(ct).ConfigureAwait(false);
            return Responses.Json(new { status = "ready" });
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Log.NotReady(logger, ex);
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "not-ready", "Not ready", "Storage or the root key is not reachable yet.");
        }
    }

    public static IResult OpenApi() => Results.Text(OpenApiDocument.Json, "application/json");

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Readiness check failed.")]
        public static partial void NotReady(ILogger logger, Exception exception);
    }
}
