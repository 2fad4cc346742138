using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Api.Routing;

namespace Integrations.Server;

/// <summary>Maps the route table (<see cref="ApiRoutes.All"/>) onto Kestrel: every route runs through the request pipeline.</summary>
public static class HubEndpointRouteBuilderExtensions
{
    public static IEndpointRouteBuilder MapIntegrationsHub(this IEndpointRouteBuilder app)
    {
        foreach (var route in ApiRoutes.All)
        {
            Delegate handler = (HttpContext context, RequestPipeline pipeline) =>
                pipeline.RunAsync(context, route, new RouteValues(route, route.Parameters.Select(name => context.Request.RouteValues[name] as string ?? "").ToArray()));
            var endpoint = route.Method == ApiRoute.AnyMethod ? app.Map("/" + route.Template, handler) : app.MapMethods("/" + route.Template, [route.Method], handler);
            endpoint.WithName(route.Name);
        }

        // Unknown paths get a problem document too, not an empty 404.
        app.MapFallback(ApiProblems.UnknownRoute);
        return app;
    }
}
