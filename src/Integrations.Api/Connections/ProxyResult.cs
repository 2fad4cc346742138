using System.Globalization;
using Integrations.Core.Connections.Proxy;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Connections;

/// <summary>
/// The upstream's answer, written to the caller when the pipeline executes the result — after the audit record of the
/// call is written, so a call whose record cannot be written is refused (503) rather than streamed. The upstream
/// response is registered for disposal with the caller's response, so it is released whichever result is sent.
/// </summary>
internal sealed class ProxyResult : IResult, IStatusCodeHttpResult
{
    private readonly ProxyResponse _response;

    public ProxyResult(ProxyResponse response, HttpContext context)
    {
        _response = response;
        context.Response.RegisterForDisposeAsync(response);
    }

    public int? StatusCode => _response.StatusCode;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = _response.StatusCode;
        // The pipeline's no-store is for the hub's own answers; a proxied answer carries the upstream's caching rules.
        response.Headers.CacheControl = default;
        foreach (var (name, value) in _response.Headers)
        {
            response.Headers.Append(name, value);
        }

        response.Headers[ProxyEndpoints.AttemptsHeader] = _response.Attempts.ToString(CultureInfo.InvariantCulture);
        await response.StartAsync(httpContext.RequestAborted).ConfigureAwait(false);
        await _response.Body.CopyToAsync(response.Body, httpContext.RequestAborted).ConfigureAwait(false);
    }
}
