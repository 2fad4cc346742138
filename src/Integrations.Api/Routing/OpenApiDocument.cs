using System.Text.Json;
using System.Text.Json.Nodes;

namespace Integrations.Api.Routing;

/// <summary>
/// The OpenAPI 3.1 description, built from <see cref="ApiRoutes.All"/> so it cannot drift from what either shell
/// serves. It lists operations, parameters, who may call each (<c>x-access</c>), its audit action and rate-limit
/// policy; bodies are described in prose.
/// </summary>
internal static class OpenApiDocument
{
    private static readonly Lazy<string> Document = new(Build);

    private static readonly string[] AnyMethods = ["get", "put", "post", "delete", "options", "head", "patch"];

    public static string Json => Document.Value;

    private static string Build()
    {
        var paths = new JsonObject();
        foreach (var group in ApiRoutes.All.GroupBy(r => r.Template))
        {
            var item = new JsonObject();
            foreach (var route in group)
            {
                var operation = new JsonObject
                {
                    ["operationId"] = route.Name,
                    ["summary"] = route.Summary,
                    ["parameters"] = new JsonArray(route.Parameters
                        .Select(name => (JsonNode)new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } })
                        .ToArray()),
                    ["responses"] = new JsonObject { ["default"] = new JsonObject { ["description"] = "JSON, or RFC 9457 problem details on error." } },
                };
                operation["x-access"] = route.Access.Describe();
                operation["x-rate-limit-policy"] = route.RateLimitPolicy;
                if (route.Access.RequiresCaller)
                {
                    operation["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() });
                    operation["description"] = $"Who may call: {route.Access.Describe()}. Audited as `{route.AuditAction}`"
                        + (route.ChangesState ? " (an attempt record before it runs, the outcome after)." : ".");
                }

                if (route.Method == ApiRoute.AnyMethod)
                {
                    // OpenAPI has no "any method": the operation is listed under each method a client would use, ids kept unique.
                    foreach (var method in AnyMethods)
                    {
                        var copy = operation.DeepClone().AsObject();
                        copy["operationId"] = route.Name + char.ToUpperInvariant(method[0]) + method[1..];
                        item[method] = copy;
                    }
                }
                else
                {
                    item[route.Method.ToLowerInvariant()] = operation;
                }
            }

            paths["/" + group.Key] = item;
        }

        var document = new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject { ["title"] = "Integrations Hub", ["version"] = "v1" },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["description"] = "An organization API key (ihk_…) or the platform admin key." },
                },
            },
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
