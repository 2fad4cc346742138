namespace Integrations.Core.Connections;

/// <summary>The wire names of <see cref="ConnectionType"/> and the aliases accepted on input.</summary>
public static class ConnectionTypes
{
    public const string ApiKey = "api_key";
    public const string Bearer = "bearer";
    public const string Basic = "basic";
    public const string OAuth2ClientCredentials = "oauth2_client_credentials";
    public const string OAuth2AuthorizationCode = "oauth2_authorization_code";
    public const string OAuth2ThreeLegged = "oauth2_3leg";
    public const string OAuth2Device = "oauth2_device";
    public const string OAuth2Password = "oauth2_password";
    public const string OAuth2Generic = "oauth2_generic";

    public static string NameOf(ConnectionType type) => type switch
    {
        ConnectionType.ApiKey => ApiKey,
        ConnectionType.Bearer => Bearer,
        ConnectionType.Basic => Basic,
        ConnectionType.OAuth2ClientCredentials => OAuth2ClientCredentials,
        ConnectionType.OAuth2AuthorizationCode => OAuth2AuthorizationCode,
        ConnectionType.OAuth2Device => OAuth2Device,
        ConnectionType.OAuth2Password => OAuth2Password,
        ConnectionType.OAuth2Generic => OAuth2Generic,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool TryParse(string? name, out ConnectionType type)
    {
        (var known, type) = name switch
        {
            ApiKey => (true, ConnectionType.ApiKey),
            Bearer => (true, ConnectionType.Bearer),
            Basic => (true, ConnectionType.Basic),
            OAuth2ClientCredentials => (true, ConnectionType.OAuth2ClientCredentials),
            OAuth2AuthorizationCode or OAuth2ThreeLegged => (true, ConnectionType.OAuth2AuthorizationCode),
            OAuth2Device => (true, ConnectionType.OAuth2Device),
            OAuth2Password => (true, ConnectionType.OAuth2Password),
            OAuth2Generic => (true, ConnectionType.OAuth2Generic),
            _ => (false, default),
        };
        return known;
    }

    /// <summary>Whether the type gets its credential from an OAuth provider (and so names one).</summary>
    public static bool IsOAuth(ConnectionType type) => type >= ConnectionType.OAuth2ClientCredentials;
}
