using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Integrations.Core.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Webhooks;

/// <summary>
/// <c>POST /v1/webhooks/{sourceId}</c> and <c>POST /v1/projects/{projectId}/webhooks</c>: find the source (unknown or
/// disabled: 404, nothing counted or written), read the raw body no further than <c>Webhooks:MaxBodyBytes</c> (over it:
/// 413, counted), and hand the delivery to <see cref="WebhookIngress"/>. Accepted events' handlers run after the answer.
/// </summary>
public sealed partial class WebhookIngressEndpoints(
    WebhookIngress ingress, IWebhookSourceLookup sources, RateLimitStep rateLimits, IOptions<HubOptions> hub, TimeProvider time,
    ILogger<WebhookIngressEndpoints> logger)
{
    public async Task<IResult> ReceiveAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sourceId = request.Values[WebhookIngressRoutes.SourceParameter];
        if (!Ids.IsValid(WebhookSource.IdPrefix, sourceId))
        {
            return SourceNotFound();
        }

        ResolvedWebhookSource? resolved;
        try
        {
            resolved = await sources.ResolveAsync(sourceId!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.LookupFailed(logger, ex, request.Http.TraceIdentifier);
            return Unavailable("The webhook source could not be looked up.");
        }

        return resolved is null || !resolved.Source.Enabled ? SourceNotFound() : await ReceiveAsync(request, resolved, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IResult> ReceiveForProjectAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var projectId = request.Values["projectId"];
        if (!Ids.IsValid("prj", projectId))
        {
            return SourceNotFound();
        }

        WebhookSniffResult sniffed;
        try
        {
            sniffed = await sources.SniffAsync(projectId!, HeadersOf(request.Request), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.LookupFailed(logger, ex, request.Http.TraceIdentifier);
            return Unavailable("The project's webhook sources could not be looked up.");
        }

        if (sniffed.Source is null)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, WebhookProblems.SourceNotMatched,
                sniffed.Failure == WebhookSniffFailure.Ambiguous ? "Ambiguous webhook source" : "No webhook source matched",
                sniffed.Reason ?? "No source of this project recognizes the delivery's headers.");
        }

        ResolvedWebhookSource? resolved;
        try
        {
            resolved = await sources.ResolveAsync(sniffed.Source.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.LookupFailed(logger, ex, request.Http.TraceIdentifier);
            return Unavailable("The webhook source could not be looked up.");
        }

        return resolved is { Source.Enabled: true } ? await ReceiveAsync(request, resolved, cancellationToken).ConfigureAwait(false) : SourceNotFound();
    }

    private async Task<IResult> ReceiveAsync(HubRequest request, ResolvedWebhookSource resolved, CancellationToken cancellationToken)
    {
        var max = ingress.Options.MaxBodyBytes;
        var http = request.Request;
        var body = http.ContentLength > max ? null : await ReadLimitedAsync(http.Body, http.ContentLength, max, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            ingress.CountOversized(resolved.Source);
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, WebhookProblems.TooLarge, "Payload too large",
                $"A webhook body may be at most {max} bytes.");
        }

        var delivery = new WebhookRequest(http.Method.ToUpperInvariant(), PublicUrlOf(http), HeadersOf(http), body, time.GetUtcNow());
        var origin = new WebhookRequestOrigin(rateLimits.SourceOf(request.Http), http.Headers.UserAgent.ToString(), request.Http.TraceIdentifier);
        var result = await ingress.ReceiveAsync(resolved, delivery, origin, cancellationToken).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case WebhookIngressOutcome.Accepted:
                var accepted = result.Event!;
                // The provider's answer does not wait for the hub's own handlers, and nothing they do can change it.
                request.Response.OnCompleted(() => ingress.RunHandlersAsync(accepted, body, CancellationToken.None));
                return Responses.Json(new WebhookReceivedResponse(true, accepted.Id, Duplicate: false));
            case WebhookIngressOutcome.Duplicate:
                return Responses.Json(new WebhookReceivedResponse(true, result.Event!.Id, Duplicate: true));
            case WebhookIngressOutcome.Challenge:
                var challenge = result.Challenge!;
                foreach (var (name, value) in challenge.Headers ?? new Dictionary<string, string>())
                {
                    request.Response.Headers[name] = value;
                }

                return Results.Content(challenge.Body, challenge.ContentType);
            case WebhookIngressOutcome.Refused:
                var refusal = result.Refusal!.Value;
                var status = WebhookIngress.StatusOf(refusal);
                return Problems.Create(status, WebhookIngress.CodeOf(refusal),
                    status == StatusCodes.Status401Unauthorized ? "Webhook not verified" : "Malformed webhook", result.Reason!);
            default:
                return Unavailable(result.Reason ?? "The event could not be stored; retry later.");
        }
    }

    /// <summary>The URL the provider called, as its dashboard has it: Twilio and HubSpot sign it.</summary>
    private string PublicUrlOf(HttpRequest request) =>
        (hub.Value.PublicBaseUrl ?? "").TrimEnd('/') + request.PathBase + request.Path + request.QueryString;

    private static WebhookHeaders HeadersOf(HttpRequest request) =>
        new(request.Headers.Select(h => new KeyValuePair<string, string[]>(h.Key, h.Value.Select(v => v ?? "").ToArray())));

    /// <summary>The body, or null as soon as it is known to be longer than <paramref name="max"/> (nothing further is read).</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream stream, long? length, int max, CancellationToken cancellationToken)
    {
        var buffer = new byte[length is { } known ? (int)known : Math.Min(max + 1, 16 * 1024)];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                // Full: one more byte tells the end from a body longer than announced (or than the limit).
                var probe = new byte[1];
                if (await stream.ReadAsync(probe, cancellationToken).ConfigureAwait(false) == 0)
                {
                    return buffer;
                }

                if (total + 1 > max)
                {
                    return null;
                }

                Array.Resize(ref buffer, Math.Min(Math.Max(buffer.Length * 2, 1024), max + 1));
                buffer[total++] = probe[0];
                continue;
            }

            var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return total == buffer.Length ? buffer : buffer[..total];
            }

            total += read;
            if (total > max)
            {
                return null;
            }
        }
    }

    private static IResult SourceNotFound() =>
        Problems.Create(StatusCodes.Status404NotFound, WebhookProblems.SourceNotFound, "Not found", "No such webhook source.");

    private static IResult Unavailable(string detail) =>
        Problems.Create(StatusCodes.Status503ServiceUnavailable, WebhookProblems.Unavailable, "Unavailable", detail);

    private static partial class Log
    {
        [LoggerMessage(EventId = 9220, Level = LogLevel.Warning, Message = "Request {RequestId}: webhook sources could not be looked up; answered 503.")]
        public static partial void LookupFailed(ILogger logger, Exception exception, string requestId);
    }
}
