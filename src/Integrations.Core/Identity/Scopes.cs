namespace Integrations.Core.Identity;

/// <summary>What an API key may do inside its organization.</summary>
public static class Scopes
{
    public const string SecretsRead = "secrets:read";
    public const string SecretsWrite = "secrets:write";
    public const string SecretsReveal = "secrets:reveal";
    public const string ProjectsWrite = "projects:write";

    /// <summary>Permanently remove a deleted secret (no restore possible): separate from <see cref="SecretsWrite"/> on purpose.</summary>
    public const string SecretsPurge = "secrets:purge";

    /// <summary>Read a project's OAuth providers (never their client secrets).</summary>
    public const string ProvidersRead = "providers:read";

    /// <summary>Create, change and delete OAuth providers, including their client secrets.</summary>
    public const string ProvidersWrite = "providers:write";

    /// <summary>Read connections, their status and the project's activity.</summary>
    public const string ConnectionsRead = "connections:read";

    /// <summary>Create, change, connect, test, revoke and delete connections.</summary>
    public const string ConnectionsWrite = "connections:write";

    /// <summary>Hand out a connection's access token: a credential leaves the hub, so it has its own scope.</summary>
    public const string ConnectionsToken = "connections:token";

    /// <summary>Send requests through a connection's proxy (the credential is used, never shown).</summary>
    public const string ConnectionsProxy = "connections:proxy";

    /// <summary>Read webhook sources, their stats and the events they received (with raw bodies).</summary>
    public const string WebhooksRead = "webhooks:read";

    /// <summary>Create, change and delete webhook sources and their signing secrets; replay received events.</summary>
    public const string WebhooksWrite = "webhooks:write";

    /// <summary>Send messages to the project's webhook endpoints; replay messages and recover endpoints.</summary>
    public const string MessagesWrite = "messages:write";

    /// <summary>Make direct outbound calls (<c>POST …/sends</c>) to a URL or through a connection.</summary>
    public const string SendsWrite = "sends:write";

    /// <summary>List the organization's members (people) and their roles.</summary>
    public const string MembersRead = "members:read";

    /// <summary>Add people directly, change members' roles and remove members (owners are changed only by owners).</summary>
    public const string MembersWrite = "members:write";

    /// <summary>Invite people by email, list and revoke pending invitations (only owners invite an owner).</summary>
    public const string MembersInvite = "members:invite";

    /// <summary>Manage the organization's API keys and read its audit log.</summary>
    public const string Admin = "admin";

    /// <summary>
    /// Log people in on the platform's behalf (<c>POST /v1/auth/social-login</c>): whoever holds it can become any user, so
    /// it is a <b>platform</b> scope — not in <see cref="All"/> (no role holds it, an organization's owner key does not get
    /// it), grantable only by an operator and only to a key of the <c>Auth:Platform</c> organization
    /// (<see cref="ApiKeyService"/>), and honoured only on such a key.
    /// </summary>
    public const string AuthSocialLogin = "auth:social-login";

    /// <summary>The organization scopes: what roles and an organization's owner key may hold.</summary>
    public static IReadOnlyList<string> All { get; } = [SecretsRead, SecretsWrite, SecretsReveal, SecretsPurge, ProjectsWrite, ProvidersRead, ProvidersWrite, ConnectionsRead, ConnectionsWrite, ConnectionsToken, ConnectionsProxy, WebhooksRead, WebhooksWrite, MessagesWrite, SendsWrite, MembersRead, MembersWrite, MembersInvite, Admin];

    /// <summary>Scopes only a key of the platform's own organization (<c>Auth:Platform:OrganizationId</c>) may hold.</summary>
    public static IReadOnlyList<string> Platform { get; } = [AuthSocialLogin];

    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal) || Platform.Contains(scope, StringComparer.Ordinal);
}
