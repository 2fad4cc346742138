namespace Integrations.Api.Providers;

/// <summary>Problem codes the provider routes answer with besides <see cref="Core.OAuth.ProviderErrors"/>.</summary>
public static class ProviderProblems
{
    /// <summary>GET /v1/provider-templates/{id} for an id not in the catalog.</summary>
    public const string TemplateNotFound = "template-not-found";
}
