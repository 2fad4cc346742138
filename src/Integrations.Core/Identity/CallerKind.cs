namespace Integrations.Core.Identity;

public enum CallerKind
{
    /// <summary>The platform operator (<c>Hub:AdminKey</c>): creates organizations and rotates keys; sees no tenant data.</summary>
    PlatformAdmin,

    /// <summary>An organization's API key.</summary>
    ApiKey,
}
