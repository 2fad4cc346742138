using Integrations.Api.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Api.Routing;

/// <summary>Binds a route table entry to a method of its capability's endpoint class, resolved from the request's services.</summary>
public static class RouteHandlers
{
    public static RouteHandler Of<TEndpoints>(Func<TEndpoints, HubRequest, CancellationToken, Task<IResult>> handler)
        where TEndpoints : notnull
    {
        ArgumentNullException.ThrowIfNull(handler);
        return (request, cancellationToken) => handler(request.Http.RequestServices.GetRequiredService<TEndpoints>(), request, cancellationToken);
    }
}
