namespace Integrations.Core.Identity;

public enum CallerKind
{
    /// <summary>The platform operator (<c>Hub:AdminKey</c>): creates organizations and rotates keys; sees no tenant data.</summary>
    PlatformAdmin,

    /// <summary>An organization's API key.</summary>
    ApiKey,

    /// <summary>
    /// A person, by their access token (or, in Development only, the <c>X-Principal-Id</c> header): acts in one organization
    /// with the scopes of their role there (<see cref="Organizations.RoleMatrix"/>).
    /// </summary>
    User,
}
