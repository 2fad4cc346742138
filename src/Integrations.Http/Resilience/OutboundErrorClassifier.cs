using System.Net;
using System.Net.Sockets;
using Integrations.Http.Guard;
using Integrations.Http.Limits;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Integrations.Http.Resilience;

/// <summary>Maps an attempt's outcome to the error taxonomy; null means success (1xx–3xx) or an exception that is a bug.</summary>
internal static class OutboundErrorClassifier
{
    public static OutboundErrorKind? Classify(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } exception ? Classify(exception) : outcome.Result is { } response ? Classify(response.StatusCode) : null;

    public static OutboundErrorKind? Classify(HttpStatusCode status) => (int)status switch
    {
        < 400 => null,
        400 or 422 => OutboundErrorKind.Validation,
        401 => OutboundErrorKind.Auth,
        403 => OutboundErrorKind.Permission,
        404 or 410 => OutboundErrorKind.NotFound,
        408 => OutboundErrorKind.Timeout,
        429 => OutboundErrorKind.RateLimit,
        < 500 => OutboundErrorKind.Client,
        _ => OutboundErrorKind.Server,
    };

    /// <summary>
    /// The handler wraps what the connect callback and the content stream throw (HttpRequestException around our
    /// exception), so the whole chain is searched for the specific causes before the general ones.
    /// </summary>
    public static OutboundErrorKind? Classify(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case OutboundRequestRefusedException:
                    return OutboundErrorKind.TargetRefused;
                case OutboundResponseTooLargeException:
                    return OutboundErrorKind.ResponseTooLarge;
                case BrokenCircuitException:
                    return OutboundErrorKind.CircuitOpen;
                case TimeoutRejectedException or TimeoutException:
                    return OutboundErrorKind.Timeout;
                default:
                    break;
            }
        }

        return exception switch
        {
            HttpRequestException or SocketException or IOException => OutboundErrorKind.Network,
            // Not the caller's token (the client checks that first): SocketsHttpHandler's ConnectTimeout, or the attempt's own.
            OperationCanceledException => OutboundErrorKind.Timeout,
            _ => null,
        };
    }
}
