using System.Net;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Pipeline;

/// <summary>
/// The address a request came from, for rate limits and the audit log. By default the connection's peer. Behind a
/// front end that appends the client's address to <c>X-Forwarded-For</c> (Azure Front Door, App Service and the
/// Functions host do), set <c>RateLimits:TrustForwardedFor</c>: the last entry is the one that front end saw —
/// earlier entries are whatever the client claimed and are never used.
/// </summary>
public static class SourceAddress
{
    public static string Of(HttpContext context, bool trustForwardedFor)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (trustForwardedFor)
        {
            var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
            var last = forwarded[(forwarded.LastIndexOf(',') + 1)..].Trim();
            if (IPAddress.TryParse(last, out var address) || IPEndPoint.TryParse(last, out var endPoint) && (address = endPoint.Address) is not null)
            {
                return address.ToString();
            }
        }

        return context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }
}
