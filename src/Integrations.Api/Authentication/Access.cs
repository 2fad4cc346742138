using Integrations.Core.Identity;

namespace Integrations.Api.Authentication;

/// <summary>Who may call an endpoint: the platform admin key, or an organization key (with a scope, or any).</summary>
public sealed record Access(bool PlatformAdmin, string? Scope)
{
    public static Access Admin { get; } = new(true, null);

    public static Access AnyOrganizationKey { get; } = new(false, null);

    public static Access Requires(string scope) => new(false, scope);

    public static Access SecretsRead { get; } = Requires(Scopes.SecretsRead);

    public static Access SecretsWrite { get; } = Requires(Scopes.SecretsWrite);

    public static Access SecretsReveal { get; } = Requires(Scopes.SecretsReveal);

    public static Access ProjectsWrite { get; } = Requires(Scopes.ProjectsWrite);

    public static Access OrganizationAdmin { get; } = Requires(Scopes.Admin);
}

/// <summary>What a handler tells the audit log about its request beyond what the pipeline knows.</summary>
public sealed class RequestAudit
{
    /// <summary>The project the request is about, when it names one.</summary>
    public string? ProjectId { get; set; }

    /// <summary>The organization named in the path, if any.</summary>
    public string? OrganizationId { get; init; }

    /// <summary>The object acted on, e.g. <c>secret/db-password</c>. Never a value.</summary>
    public string? Target { get; set; }
}
