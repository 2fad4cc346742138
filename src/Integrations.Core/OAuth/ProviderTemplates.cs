using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Integrations.Core.OAuth;

/// <summary>
/// The built-in catalog: a provider made from one of these needs only a client id and secret (and the template's
/// placeholders). Each entry cites the provider page its endpoints and quirks come from; when a provider changes its
/// endpoints, this file is the one place to change.
/// </summary>
public static partial class ProviderTemplates
{

    public static IReadOnlyList<ProviderTemplate> All { get; } =
    [
        // https://developers.google.com/identity/protocols/oauth2/web-server (access_type=offline for a refresh token)
        // and https://accounts.google.com/.well-known/openid-configuration for the OpenID Connect endpoints.
        new()
        {
            Id = "google", DisplayName = "Google", Documentation = new("https://developers.google.com/identity/protocols/oauth2/web-server"),
            Issuer = "https://accounts.google.com",
            AuthorizationEndpoint = "https://accounts.google.com/o/oauth2/v2/auth", TokenEndpoint = "https://oauth2.googleapis.com/token",
            RevocationEndpoint = "https://oauth2.googleapis.com/revoke", DeviceAuthorizationEndpoint = "https://oauth2.googleapis.com/device/code",
            UserInfoEndpoint = "https://openidconnect.googleapis.com/v1/userinfo", JwksUri = "https://www.googleapis.com/oauth2/v3/certs",
            DefaultScopes = ["openid", "email", "profile"],
            ExtraAuthorizationParameters = Map(("access_type", "offline"), ("include_granted_scopes", "true")),
        },

        // https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow (tenant: common, organizations,
        // consumers, a tenant id or domain). No RFC 7009 revocation endpoint.
        new()
        {
            Id = "microsoft", DisplayName = "Microsoft Entra ID", Documentation = new("https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow"),
            Issuer = "https://login.microsoftonline.com/{tenant}/v2.0",
            AuthorizationEndpoint = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
            TokenEndpoint = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
            DeviceAuthorizationEndpoint = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/devicecode",
            UserInfoEndpoint = "https://graph.microsoft.com/oidc/userinfo", JwksUri = "https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys",
            DefaultScopes = ["openid", "profile", "email", "offline_access"],
            Parameters = [new("tenant", "The directory: common, organizations, consumers, a tenant id or a verified domain.", TenantPattern(), "common")],
            Notes = "With tenant common, organizations or consumers the id token's iss names the user's own tenant, not the template's issuer.",
        },

        // https://docs.github.com/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps (JSON only with Accept;
        // scopes come back comma-separated; OAuth app tokens do not expire; token revocation is a REST API, not RFC 7009).
        new()
        {
            Id = "github", DisplayName = "GitHub", Documentation = new("https://docs.github.com/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps"),
            AuthorizationEndpoint = "https://github.com/login/oauth/authorize", TokenEndpoint = "https://github.com/login/oauth/access_token",
            DeviceAuthorizationEndpoint = "https://github.com/login/device/code",
            DefaultScopes = ["read:user"],
            Quirks = new() { OmitsExpiresIn = true, GrantedScopeSeparator = ",", NonStandardTokenType = true, RequiresJsonAcceptHeader = true },
        },

        // https://api.slack.com/authentication/oauth-v2 (comma-separated scopes both ways, token_type "bot") and
        // https://api.slack.com/authentication/rotation (expiry and rotating refresh tokens only with rotation on).
        new()
        {
            Id = "slack", DisplayName = "Slack", Documentation = new("https://api.slack.com/authentication/oauth-v2"),
            AuthorizationEndpoint = "https://slack.com/oauth/v2/authorize", TokenEndpoint = "https://slack.com/api/oauth.v2.access",
            ScopeSeparator = ",", UsePkce = false, DefaultScopes = ["channels:read", "chat:write"],
            Quirks = new() { OmitsExpiresIn = true, RotatesRefreshTokens = true, GrantedScopeSeparator = ",", NonStandardTokenType = true },
        },

        // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm (no expires_in: the
        // session timeout applies) and .../remoteaccess_revoke_token.htm. login_host: login, test or a My Domain.
        new()
        {
            Id = "salesforce", DisplayName = "Salesforce", Documentation = new("https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm"),
            AuthorizationEndpoint = "https://{login_host}/services/oauth2/authorize", TokenEndpoint = "https://{login_host}/services/oauth2/token",
            RevocationEndpoint = "https://{login_host}/services/oauth2/revoke", UserInfoEndpoint = "https://{login_host}/services/oauth2/userinfo",
            DefaultScopes = ["api", "refresh_token"],
            Quirks = new() { OmitsExpiresIn = true },
            Parameters = [new("login_host", "login.salesforce.com, test.salesforce.com or your My Domain (name.my.salesforce.com).", SalesforceHostPattern(), "login.salesforce.com")],
        },

        // https://developers.hubspot.com/docs/api/oauth-quickstart-guide (client_id/client_secret in the form body).
        new()
        {
            Id = "hubspot", DisplayName = "HubSpot", Documentation = new("https://developers.hubspot.com/docs/api/oauth-quickstart-guide"),
            AuthorizationEndpoint = "https://app.hubspot.com/oauth/authorize", TokenEndpoint = "https://api.hubapi.com/oauth/v1/token",
            UsePkce = false, DefaultScopes = ["oauth"],
        },

        // https://airtable.com/developers/web/api/oauth-reference (PKCE S256 required; refresh tokens are single use;
        // confidential clients authenticate with HTTP Basic).
        new()
        {
            Id = "airtable", DisplayName = "Airtable", Documentation = new("https://airtable.com/developers/web/api/oauth-reference"),
            AuthorizationEndpoint = "https://airtable.com/oauth2/v1/authorize", TokenEndpoint = "https://airtable.com/oauth2/v1/token",
            PkceRequired = true, ClientAuthentication = ClientAuthenticationMethod.ClientSecretBasic,
            DefaultScopes = ["data.records:read", "schema.bases:read"],
            Quirks = new() { RotatesRefreshTokens = true },
        },

        // https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/ (audience=api.atlassian.com and
        // prompt=consent; rotating refresh tokens).
        new()
        {
            Id = "atlassian", DisplayName = "Atlassian", Documentation = new("https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/"),
            AuthorizationEndpoint = "https://auth.atlassian.com/authorize", TokenEndpoint = "https://auth.atlassian.com/oauth/token",
            UsePkce = false, DefaultScopes = ["offline_access", "read:me"],
            ExtraAuthorizationParameters = Map(("audience", "api.atlassian.com"), ("prompt", "consent")),
            Quirks = new() { RotatesRefreshTokens = true },
        },

        // https://developers.zoom.us/docs/integrations/oauth/ (HTTP Basic; each refresh returns a new refresh token).
        new()
        {
            Id = "zoom", DisplayName = "Zoom", Documentation = new("https://developers.zoom.us/docs/integrations/oauth/"),
            AuthorizationEndpoint = "https://zoom.us/oauth/authorize", TokenEndpoint = "https://zoom.us/oauth/token",
            RevocationEndpoint = "https://zoom.us/oauth/revoke", ClientAuthentication = ClientAuthenticationMethod.ClientSecretBasic,
            Quirks = new() { RotatesRefreshTokens = true },
        },

        // https://developers.dropbox.com/oauth-guide (token_access_type=offline for a refresh token; revocation is
        // the RPC /2/auth/token/revoke, not RFC 7009).
        new()
        {
            Id = "dropbox", DisplayName = "Dropbox", Documentation = new("https://developers.dropbox.com/oauth-guide"),
            AuthorizationEndpoint = "https://www.dropbox.com/oauth2/authorize", TokenEndpoint = "https://api.dropboxapi.com/oauth2/token",
            ClientAuthentication = ClientAuthenticationMethod.ClientSecretBasic, DefaultScopes = ["account_info.read"],
            ExtraAuthorizationParameters = Map(("token_access_type", "offline")),
        },

        // https://docs.stripe.com/connect/oauth-reference (the platform's secret key is the client secret; access
        // tokens do not expire; deauthorization is its own endpoint, not RFC 7009).
        new()
        {
            Id = "stripe-connect", DisplayName = "Stripe Connect", Documentation = new("https://docs.stripe.com/connect/oauth-reference"),
            AuthorizationEndpoint = "https://connect.stripe.com/oauth/authorize", TokenEndpoint = "https://connect.stripe.com/oauth/token",
            UsePkce = false, DefaultScopes = ["read_write"],
            Quirks = new() { OmitsExpiresIn = true, NonStandardTokenType = true },
        },

        // https://developer.xero.com/documentation/guides/oauth2/auth-flow (OpenID Connect; refresh tokens rotate).
        new()
        {
            Id = "xero", DisplayName = "Xero", Documentation = new("https://developer.xero.com/documentation/guides/oauth2/auth-flow"),
            Issuer = "https://identity.xero.com",
            AuthorizationEndpoint = "https://login.xero.com/identity/connect/authorize", TokenEndpoint = "https://identity.xero.com/connect/token",
            RevocationEndpoint = "https://identity.xero.com/connect/revocation", UserInfoEndpoint = "https://identity.xero.com/connect/userinfo",
            JwksUri = "https://identity.xero.com/.well-known/openid-configuration/jwks",
            ClientAuthentication = ClientAuthenticationMethod.ClientSecretBasic,
            DefaultScopes = ["openid", "profile", "email", "offline_access", "accounting.transactions"],
            Quirks = new() { RotatesRefreshTokens = true },
        },

        // https://developers.notion.com/docs/authorization (owner=user; HTTP Basic; no scopes; tokens without expires_in).
        new()
        {
            Id = "notion", DisplayName = "Notion", Documentation = new("https://developers.notion.com/docs/authorization"),
            AuthorizationEndpoint = "https://api.notion.com/v1/oauth/authorize", TokenEndpoint = "https://api.notion.com/v1/oauth/token",
            UsePkce = false, ClientAuthentication = ClientAuthenticationMethod.ClientSecretBasic,
            ExtraAuthorizationParameters = Map(("owner", "user")),
            Quirks = new() { OmitsExpiresIn = true, NonStandardTokenType = true },
        },

        // https://developers.linear.app/docs/oauth/authentication (scopes comma-separated; RFC 7009-style revoke).
        new()
        {
            Id = "linear", DisplayName = "Linear", Documentation = new("https://developers.linear.app/docs/oauth/authentication"),
            AuthorizationEndpoint = "https://linear.app/oauth/authorize", TokenEndpoint = "https://api.linear.app/oauth/token",
            RevocationEndpoint = "https://api.linear.app/oauth/revoke", ScopeSeparator = ",", DefaultScopes = ["read"],
            Quirks = new() { GrantedScopeSeparator = "," },
        },

        // https://developers.asana.com/docs/oauth (PKCE supported; RFC 7009 revocation at oauth_revoke).
        new()
        {
            Id = "asana", DisplayName = "Asana", Documentation = new("https://developers.asana.com/docs/oauth"),
            AuthorizationEndpoint = "https://app.asana.com/-/oauth_authorize", TokenEndpoint = "https://app.asana.com/-/oauth_token",
            RevocationEndpoint = "https://app.asana.com/-/oauth_revoke", DefaultScopes = ["default"],
        },

        // https://www.twilio.com/docs/iam/oauth-overview (Twilio's OAuth 2.0 authorization server).
        new()
        {
            Id = "twilio", DisplayName = "Twilio", Documentation = new("https://www.twilio.com/docs/iam/oauth-overview"),
            AuthorizationEndpoint = "https://oauth.twilio.com/v2/authorize", TokenEndpoint = "https://oauth.twilio.com/v2/token",
            UsePkce = false, DefaultScopes = ["offline_access"],
        },

        // https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant
        // (per-shop endpoints; comma-separated scopes; offline tokens do not expire and have no refresh token).
        new()
        {
            Id = "shopify", DisplayName = "Shopify", Documentation = new("https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant"),
            AuthorizationEndpoint = "https://{shop}.myshopify.com/admin/oauth/authorize", TokenEndpoint = "https://{shop}.myshopify.com/admin/oauth/access_token",
            ScopeSeparator = ",", UsePkce = false, DefaultScopes = ["read_products"],
            Quirks = new() { OmitsExpiresIn = true, GrantedScopeSeparator = ",", NoRefreshTokens = true },
            Parameters = [new("shop", "The shop's subdomain: {shop}.myshopify.com.", ShopPattern())],
        },

        // https://developers.intercom.com/docs/build-an-integration/learn-more/authentication/setting-up-oauth
        // (no scopes in the request; tokens do not expire and come without a refresh token).
        new()
        {
            Id = "intercom", DisplayName = "Intercom", Documentation = new("https://developers.intercom.com/docs/build-an-integration/learn-more/authentication/setting-up-oauth"),
            AuthorizationEndpoint = "https://app.intercom.com/oauth", TokenEndpoint = "https://api.intercom.io/auth/eagle/token",
            UsePkce = false,
            Quirks = new() { OmitsExpiresIn = true, NoRefreshTokens = true, NonStandardTokenType = true },
        },

        // https://developer.box.com/guides/authentication/oauth2/ (refresh tokens are single use; RFC 7009 revoke).
        new()
        {
            Id = "box", DisplayName = "Box", Documentation = new("https://developer.box.com/guides/authentication/oauth2/"),
            AuthorizationEndpoint = "https://account.box.com/api/oauth2/authorize", TokenEndpoint = "https://api.box.com/oauth2/token",
            RevocationEndpoint = "https://api.box.com/oauth2/revoke", UsePkce = false,
            Quirks = new() { RotatesRefreshTokens = true, NonStandardTokenType = true },
        },

        // https://discord.com/developers/docs/topics/oauth2 (RFC 7009 revocation at /token/revoke).
        new()
        {
            Id = "discord", DisplayName = "Discord", Documentation = new("https://discord.com/developers/docs/topics/oauth2"),
            AuthorizationEndpoint = "https://discord.com/oauth2/authorize", TokenEndpoint = "https://discord.com/api/oauth2/token",
            RevocationEndpoint = "https://discord.com/api/oauth2/token/revoke", ClientAuthentication = ClientAuthenticationMethod.ClientSecretBasic,
            DefaultScopes = ["identify", "email"],
        },
    ];

    private static readonly FrozenDictionary<string, ProviderTemplate> ById = All.ToFrozenDictionary(t => t.Id, StringComparer.Ordinal);

    /// <summary>The template <paramref name="id"/>, or null.</summary>
    public static ProviderTemplate? Find(string? id) => id is not null && ById.TryGetValue(id, out var template) ? template : null;

    private static Dictionary<string, string> Map(params (string Key, string Value)[] entries) => entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    // One host label or tenant id/domain: no '/', '?', '#', '@' or ':' can reach the URL.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex TenantPattern();

    [GeneratedRegex("^(login|test|[A-Za-z0-9][A-Za-z0-9-]{0,62}\\.my)\\.salesforce\\.com$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SalesforceHostPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,59}$", RegexOptions.CultureInvariant)]
    private static partial Regex ShopPattern();
}
