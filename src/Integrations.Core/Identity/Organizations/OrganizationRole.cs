namespace Integrations.Core.Identity.Organizations;

/// <summary>A person's role in an organization, highest first: Owner &gt; Admin &gt; Member &gt; Viewer.</summary>
public enum OrganizationRole
{
    /// <summary>Everything, including what only owners should do (the organization's API keys and audit log).</summary>
    Owner,

    /// <summary>Everything inside the organization's projects, but not what only owners do.</summary>
    Admin,

    /// <summary>Reads and day-to-day writes; no reveal, purge or administration.</summary>
    Member,

    /// <summary>Reads only.</summary>
    Viewer,
}

/// <summary>The role names as they appear in the <c>role</c> claim, in storage and in the API (lower case).</summary>
public static class OrganizationRoles
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    public const string Member = "member";
    public const string Viewer = "viewer";

    /// <summary>The claim/storage name of <paramref name="role"/>.</summary>
    public static string Name(OrganizationRole role) => role switch
    {
        OrganizationRole.Owner => Owner,
        OrganizationRole.Admin => Admin,
        OrganizationRole.Member => Member,
        OrganizationRole.Viewer => Viewer,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a role."),
    };

    /// <summary>The role named <paramref name="name"/> exactly (lower case), or null: a token or row naming anything else grants nothing.</summary>
    public static OrganizationRole? Parse(string? name) => name switch
    {
        Owner => OrganizationRole.Owner,
        Admin => OrganizationRole.Admin,
        Member => OrganizationRole.Member,
        Viewer => OrganizationRole.Viewer,
        _ => null,
    };
}
