using Integrations.Core.Common;
using Integrations.Core.Connections;

namespace Integrations.Core.Tests.Connections;

public sealed class ConnectionRulesTests
{
    private static readonly ConnectionRuleSettings Production = new(RequireHttps: true, ["linear_1s", "exponential_backoff"]);
    private static readonly ConnectionRuleSettings Development = Production with { RequireHttps = false };

    private static readonly Connection Template = new()
    {
        Id = "con_aaaaaaaaaaaaaaaaaaaa",
        OrganizationId = "org_aaaaaaaaaaaaaaaaaaaa",
        ProjectId = "prj_aaaaaaaaaaaaaaaaaaaa",
        Name = "",
        Type = ConnectionType.ApiKey,
        CreatedBy = "key_x",
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    private static ConnectionInput ApiKey => new()
    {
        Name = "stripe",
        Type = "api_key",
        SecretRefs = new Dictionary<string, string?> { ["api_key"] = "stripe-key" },
    };

    private static ConnectionInput OAuth => new()
    {
        Name = "google",
        Type = "oauth2_authorization_code",
        ProviderId = "prv_aaaaaaaaaaaaaaaaaaaa",
    };

    public static TheoryData<string, ConnectionInput, string, string> Refusals => new()
    {
        { "missing name", ApiKey with { Name = null }, CommonErrors.MissingField, "name" },
        { "bad name", ApiKey with { Name = "has space" }, CommonErrors.InvalidName, "name" },
        { "dots only", ApiKey with { Name = ".." }, CommonErrors.InvalidName, "name" },
        { "missing type", ApiKey with { Type = null }, CommonErrors.MissingField, "type" },
        { "unknown type", ApiKey with { Type = "oauth1" }, ConnectionErrors.InvalidConnectionType, "type" },
        { "provider on static", ApiKey with { ProviderId = "prv_aaaaaaaaaaaaaaaaaaaa" }, ConnectionErrors.InvalidProvider, "provider_id" },
        { "oauth without provider", OAuth with { ProviderId = null }, CommonErrors.MissingField, "provider_id" },
        { "malformed provider", OAuth with { ProviderId = "prv/../x" }, ConnectionErrors.InvalidProvider, "provider_id" },
        { "description control", ApiKey with { Description = "a\u202Eb" }, ConnectionErrors.InvalidDescription, "description" },
        { "description long", ApiKey with { Description = new string('d', 1025) }, ConnectionErrors.InvalidDescription, "description" },
        { "relative base url", ApiKey with { BaseUrl = "/v1" }, ConnectionErrors.InvalidBaseUrl, "base_url" },
        { "http base url in production", ApiKey with { BaseUrl = "http://api.example.com" }, ConnectionErrors.InvalidBaseUrl, "base_url" },
        { "ftp base url", ApiKey with { BaseUrl = "ftp://api.example.com" }, ConnectionErrors.InvalidBaseUrl, "base_url" },
        { "userinfo", ApiKey with { BaseUrl = "https://user:pw@api.example.com" }, ConnectionErrors.InvalidBaseUrl, "base_url" },
        { "query", ApiKey with { BaseUrl = "https://api.example.com/v1?key=1" }, ConnectionErrors.InvalidBaseUrl, "base_url" },
        { "fragment", ApiKey with { BaseUrl = "https://api.example.com/v1#x" }, ConnectionErrors.InvalidBaseUrl, "base_url" },
        { "authorization header", ApiKey with { DefaultHeaders = Headers("authorization", "x") }, ConnectionErrors.InvalidDefaultHeaders, "default_headers.authorization" },
        { "cookie header", ApiKey with { DefaultHeaders = Headers("Cookie", "a=b") }, ConnectionErrors.InvalidDefaultHeaders, "default_headers.Cookie" },
        { "host header", ApiKey with { DefaultHeaders = Headers("Host", "evil") }, ConnectionErrors.InvalidDefaultHeaders, "default_headers.Host" },
        { "hop-by-hop header", ApiKey with { DefaultHeaders = Headers("Transfer-Encoding", "chunked") }, ConnectionErrors.InvalidDefaultHeaders, "default_headers.Transfer-Encoding" },
        { "header name not a token", ApiKey with { DefaultHeaders = Headers("X Bad", "v") }, ConnectionErrors.InvalidDefaultHeaders, "default_headers" },
        { "header value CRLF", ApiKey with { DefaultHeaders = Headers("X-A", "v\r\nX-Injected: 1") }, ConnectionErrors.InvalidDefaultHeaders, "default_headers.X-A" },
        { "header value null", ApiKey with { DefaultHeaders = Headers("X-A", null) }, ConnectionErrors.InvalidDefaultHeaders, "default_headers.X-A" },
        { "too many headers", ApiKey with { DefaultHeaders = Enumerable.Range(0, 21).ToDictionary(i => $"X-H{i}", i => (string?)"v") }, ConnectionErrors.InvalidDefaultHeaders, "default_headers" },
        { "headers too big", ApiKey with { DefaultHeaders = Enumerable.Range(0, 9).ToDictionary(i => $"X-H{i}", i => (string?)new string('v', 1000)) }, ConnectionErrors.InvalidDefaultHeaders, "default_headers" },
        { "timeout low", ApiKey with { TimeoutSeconds = 0.5 }, ConnectionErrors.InvalidTimeout, "timeout_seconds" },
        { "timeout high", ApiKey with { TimeoutSeconds = 61 }, ConnectionErrors.InvalidTimeout, "timeout_seconds" },
        { "timeout NaN", ApiKey with { TimeoutSeconds = double.NaN }, ConnectionErrors.InvalidTimeout, "timeout_seconds" },
        { "retries negative", ApiKey with { Retries = -1 }, ConnectionErrors.InvalidRetries, "retries" },
        { "retries high", ApiKey with { Retries = 6 }, ConnectionErrors.InvalidRetries, "retries" },
        { "unknown strategy", ApiKey with { RetryStrategy = "forever" }, ConnectionErrors.InvalidRetryStrategy, "retry_strategy" },
        { "strategy case", ApiKey with { RetryStrategy = "Linear_1s" }, ConnectionErrors.InvalidRetryStrategy, "retry_strategy" },
        { "api key without ref", ApiKey with { SecretRefs = null }, ConnectionErrors.InvalidSecretRefs, "secret_refs.api_key" },
        { "bearer with wrong role", new ConnectionInput { Name = "b", Type = "bearer", SecretRefs = Refs(("api_key", "x")) }, ConnectionErrors.InvalidSecretRefs, "secret_refs.token" },
        { "basic without password", new ConnectionInput { Name = "b", Type = "basic", SecretRefs = Refs(("username", "u")) }, ConnectionErrors.InvalidSecretRefs, "secret_refs.password" },
        { "basic with extra role", new ConnectionInput { Name = "b", Type = "basic", SecretRefs = Refs(("username", "u"), ("password", "p"), ("other", "o")) }, ConnectionErrors.InvalidSecretRefs, "secret_refs.other" },
        { "ref not a secret name", ApiKey with { SecretRefs = Refs(("api_key", "no spaces allowed")) }, ConnectionErrors.InvalidSecretRefs, "secret_refs.api_key" },
        { "ref null", ApiKey with { SecretRefs = new Dictionary<string, string?> { ["api_key"] = null } }, ConnectionErrors.InvalidSecretRefs, "secret_refs.api_key" },
        { "oauth role malformed", OAuth with { SecretRefs = Refs(("Bad-Role", "x")) }, ConnectionErrors.InvalidSecretRefs, "secret_refs" },
        { "api_key placement on bearer", new ConnectionInput { Name = "b", Type = "bearer", SecretRefs = Refs(("token", "t")), ApiKey = new("header", "X-Key") }, ConnectionErrors.InvalidApiKeyPlacement, "api_key" },
        { "placement in cookie", ApiKey with { ApiKey = new("cookie", "k") }, ConnectionErrors.InvalidApiKeyPlacement, "api_key.in" },
        { "placement header name bad", ApiKey with { ApiKey = new("header", "X Key") }, ConnectionErrors.InvalidApiKeyPlacement, "api_key.name" },
        { "placement header Host", ApiKey with { ApiKey = new("header", "Host") }, ConnectionErrors.InvalidApiKeyPlacement, "api_key.name" },
        { "placement query name bad", ApiKey with { ApiKey = new("query", "a&b=") }, ConnectionErrors.InvalidApiKeyPlacement, "api_key.name" },
        { "placement query without name", ApiKey with { ApiKey = new("query", null) }, ConnectionErrors.InvalidApiKeyPlacement, "api_key.name" },
        { "scopes on static", ApiKey with { Scopes = ["read"] }, ConnectionErrors.InvalidScopes, "scopes" },
        { "scope with space", OAuth with { Scopes = ["read write"] }, ConnectionErrors.InvalidScopes, "scopes" },
        { "scope duplicate", OAuth with { Scopes = ["read", "read"] }, ConnectionErrors.InvalidScopes, "scopes" },
        { "end user without id", ApiKey with { EndUser = new(null, "Ann") }, ConnectionErrors.InvalidEndUser, "end_user.id" },
        { "end user id padded", ApiKey with { EndUser = new(" u1", null) }, ConnectionErrors.InvalidEndUser, "end_user.id" },
        { "end user name bidi", ApiKey with { EndUser = new("u1", "a\u202Eb") }, ConnectionErrors.InvalidEndUser, "end_user.display_name" },
        { "policy effect", ApiKey with { Policy = [new("permit", null, "/a")] }, ConnectionErrors.InvalidPolicy, "policy[0].effect" },
        { "policy method", ApiKey with { Policy = [new("allow", ["GET"], "/a"), new("deny", ["FETCH"], "/a")] }, ConnectionErrors.InvalidPolicy, "policy[1].methods" },
        { "policy relative path", ApiKey with { Policy = [new("deny", null, "admin/*")] }, ConnectionErrors.InvalidPolicy, "policy[0].path" },
        { "policy partial star", ApiKey with { Policy = [new("deny", null, "/ad*")] }, ConnectionErrors.InvalidPolicy, "policy[0].path" },
        { "policy triple star", ApiKey with { Policy = [new("deny", null, "/***")] }, ConnectionErrors.InvalidPolicy, "policy[0].path" },
        { "policy dot segment", ApiKey with { Policy = [new("deny", null, "/v1/../admin")] }, ConnectionErrors.InvalidPolicy, "policy[0].path" },
        { "policy encoded dot segment", ApiKey with { Policy = [new("deny", null, "/v1/%2e%2E/admin")] }, ConnectionErrors.InvalidPolicy, "policy[0].path" },
        { "policy bad escape", ApiKey with { Policy = [new("deny", null, "/a%zz")] }, ConnectionErrors.InvalidPolicy, "policy[0].path" },
        { "policy empty segment", ApiKey with { Policy = [new("deny", null, "/a//b")] }, ConnectionErrors.InvalidPolicy, "policy[0].path" },
        { "policy null rule", ApiKey with { Policy = [null] }, ConnectionErrors.InvalidPolicy, "policy[0]" },
        { "too many rules", ApiKey with { Policy = Enumerable.Range(0, 33).Select(_ => (ProxyRuleInput?)new ProxyRuleInput("deny", null, "/a")).ToList() }, ConnectionErrors.InvalidPolicy, "policy" },
        { "test method", ApiKey with { TestRequest = new("CONNECT", "/") }, ConnectionErrors.InvalidTestRequest, "test_request.method" },
        { "test path relative", ApiKey with { TestRequest = new("GET", "health") }, ConnectionErrors.InvalidTestRequest, "test_request.path" },
        { "test path climbs", ApiKey with { TestRequest = new("GET", "/../admin") }, ConnectionErrors.InvalidTestRequest, "test_request.path" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Apply_InvalidInput_IsRefusedNamingItsField(string because, ConnectionInput input, string code, string field)
    {
        var result = ConnectionRules.Apply(input, Template, Production);

        Assert.False(result.IsSuccess, because);
        Assert.Equal((ErrorKind.Invalid, code, field), (result.Error.Kind, result.Error.Code, result.Error.Field));
    }

    [Fact]
    public void Apply_MinimalApiKey_FillsTheDefaults()
    {
        var result = ConnectionRules.Apply(ApiKey, Template, Production);

        Assert.True(result.IsSuccess);
        var c = result.Value;
        Assert.Equal(("stripe", ConnectionType.ApiKey, TimeSpan.FromSeconds(8), 2, true), (c.Name, c.Type, c.Timeout, c.Retries, c.Enabled));
        Assert.Equal(ApiKeyPlacement.Default, c.ApiKey);
        Assert.Equal(("GET", "/"), (c.TestMethod, c.TestPath));
        Assert.Null(c.ProviderId);
        Assert.Equal("stripe-key", c.SecretRefs["api_key"]);
    }

    [Fact]
    public void Apply_FullConfiguration_KeepsEveryField()
    {
        var input = ApiKey with
        {
            Description = "Stripe, live",
            BaseUrl = "https://api.stripe.com/v1",
            DefaultHeaders = Headers("Stripe-Version", "2024-06-20"),
            TimeoutSeconds = 2.5,
            Retries = 0,
            RetryStrategy = "linear_1s",
            Enabled = false,
            ApiKey = new("query", "api_key"),
            EndUser = new("user-42", "Ann"),
            Policy = [new("deny", ["delete", "POST"], "/v1/customers/*/sources/**"), new("allow", null, "/**")],
            TestRequest = new("head", "/v1/balance?expand=x"),
        };

        var c = ConnectionRules.Apply(input, Template, Production).Value!;

        Assert.Equal(new Uri("https://api.stripe.com/v1"), c.BaseUrl);
        Assert.Equal("2024-06-20", c.DefaultHeaders["stripe-version"]);
        Assert.Equal((TimeSpan.FromSeconds(2.5), 0, "linear_1s", false), (c.Timeout, c.Retries, c.RetryStrategy, c.Enabled));
        Assert.Equal(new ApiKeyPlacement(ApiKeyLocation.Query, "api_key"), c.ApiKey);
        Assert.Equal(new EndUser("user-42", "Ann"), c.EndUser);
        Assert.Equal(ProxyRuleEffect.Deny, c.Policy[0].Effect);
        Assert.Equal(["DELETE", "POST"], c.Policy[0].Methods);
        Assert.Empty(c.Policy[1].Methods);
        Assert.Equal(("HEAD", "/v1/balance?expand=x"), (c.TestMethod, c.TestPath));
    }

    [Theory]
    [InlineData("oauth2_3leg", ConnectionType.OAuth2AuthorizationCode)]
    [InlineData("oauth2_authorization_code", ConnectionType.OAuth2AuthorizationCode)]
    [InlineData("oauth2_client_credentials", ConnectionType.OAuth2ClientCredentials)]
    [InlineData("oauth2_device", ConnectionType.OAuth2Device)]
    [InlineData("oauth2_password", ConnectionType.OAuth2Password)]
    [InlineData("oauth2_generic", ConnectionType.OAuth2Generic)]
    public void Apply_OAuthTypes_AcceptTheAliasAndOptionalExtraSecrets(string type, ConnectionType expected)
    {
        var result = ConnectionRules.Apply(OAuth with { Type = type, Scopes = ["openid", "https://x/y.read"], SecretRefs = Refs(("subject_token", "s")) }, Template, Production);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal((expected, "prv_aaaaaaaaaaaaaaaaaaaa"), (result.Value.Type, result.Value.ProviderId));
        Assert.Equal("s", result.Value.SecretRefs["subject_token"]);
    }

    [Fact]
    public void Apply_HttpBaseUrl_IsAcceptedInDevelopmentOnly()
    {
        var input = ApiKey with { BaseUrl = "http://127.0.0.1:5000/api" };

        Assert.True(ConnectionRules.Apply(input, Template, Development).IsSuccess);
        Assert.False(ConnectionRules.Apply(input, Template, Production).IsSuccess);
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/**", true)]
    [InlineData("/v1/*/items", true)]
    [InlineData("/v1/users/%40me/", true)]
    [InlineData("/a:b@c", true)]
    [InlineData("", false)]
    [InlineData("/a/./b", false)]
    [InlineData("/a/.%2e", false)]
    [InlineData("/a*", false)]
    [InlineData("/a b", false)]
    [InlineData("/a?b", false)]
    public void IsValidPathGlob_FollowsTheGlobSyntax(string glob, bool valid) => Assert.Equal(valid, ConnectionRules.IsValidPathGlob(glob));

    private static Dictionary<string, string?> Headers(string name, string? value) => new() { [name] = value };

    private static Dictionary<string, string?> Refs(params (string Role, string Name)[] refs) => refs.ToDictionary(r => r.Role, r => (string?)r.Name);
}
