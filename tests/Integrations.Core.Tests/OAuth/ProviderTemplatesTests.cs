using System.Web;
using Integrations.Core.OAuth;

namespace Integrations.Core.Tests.OAuth;

public sealed class ProviderTemplatesTests
{
    private static readonly Uri RedirectUri = new("https://hub.example.com/v1/oauth/callback");

    public static TheoryData<string> TemplateIds()
    {
        var data = new TheoryData<string>();
        foreach (var template in ProviderTemplates.All)
        {
            data.Add(template.Id);
        }

        return data;
    }

    [Fact]
    public void All_HasTheIssuesProviders_WithUniqueIds()
    {
        string[] required = ["google", "microsoft", "github", "slack", "salesforce", "hubspot", "airtable", "atlassian", "zoom", "dropbox", "stripe-connect",
            "xero", "notion", "linear", "asana", "twilio", "shopify", "intercom", "box", "discord"];

        Assert.All(required, id => Assert.NotNull(ProviderTemplates.Find(id)));
        Assert.Equal(ProviderTemplates.All.Count, ProviderTemplates.All.Select(t => t.Id).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(TemplateIds))]
    public void Instantiate_EveryTemplate_GivesHttpsEndpointsWithPlaceholdersFilled(string id)
    {
        var template = ProviderTemplates.Find(id)!;

        var endpoints = ProviderService.Instantiate(template, SampleParameters(template));

        Assert.Null(ProviderRules.ValidateEndpoints(endpoints, new OAuthEndpointPolicy(requireHttps: true)));
        Uri?[] all = [endpoints.Issuer, endpoints.Authorization, endpoints.Token, endpoints.Revocation, endpoints.DeviceAuthorization, endpoints.UserInfo, endpoints.JwksUri];
        Assert.All(all.OfType<Uri>(), uri => Assert.DoesNotContain("{", uri.OriginalString, StringComparison.Ordinal));
        Assert.NotNull(endpoints.Authorization);
        Assert.True(template.Documentation.IsAbsoluteUri && template.Documentation.Scheme == Uri.UriSchemeHttps);
        Assert.Null(ProviderRules.ValidateExtraParameters(template.ExtraAuthorizationParameters, "extra_authorization_parameters"));
        Assert.Null(ProviderRules.ValidateExtraParameters(template.ExtraTokenParameters, "extra_token_parameters"));
        Assert.Null(ProviderRules.ValidateScopes(template.DefaultScopes, template.ScopeSeparator));
    }

    [Theory]
    [MemberData(nameof(TemplateIds))]
    public void Build_EveryTemplate_GivesAnAuthorizationUrlWithEveryParameter(string id)
    {
        var template = ProviderTemplates.Find(id)!;
        var parameters = SampleParameters(template);
        var endpoints = ProviderService.Instantiate(template, parameters);
        var provider = ProviderFrom(template, endpoints);

        var built = AuthorizationRequestBuilder.Build(provider, endpoints, RedirectUri);

        Assert.True(built.IsSuccess, built.Error?.Message);
        var url = built.Value.Url;
        var query = HttpUtility.ParseQueryString(url.Query);
        Assert.Equal(endpoints.Authorization!.GetLeftPart(UriPartial.Path), url.GetLeftPart(UriPartial.Path));
        Assert.Equal(Uri.UriSchemeHttps, url.Scheme);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("client-123", query["client_id"]);
        Assert.Equal(RedirectUri.AbsoluteUri, query["redirect_uri"]);
        Assert.Equal(built.Value.State, query["state"]);
        Assert.Equal(43, built.Value.State.Length);
        Assert.Equal(template.DefaultScopes.Count == 0 ? null : string.Join(template.ScopeSeparator, template.DefaultScopes), query["scope"]);
        if (template.UsePkce || template.PkceRequired)
        {
            Assert.Equal("S256", query["code_challenge_method"]);
            Assert.Equal(Pkce.ChallengeOf(built.Value.CodeVerifier!), query["code_challenge"]);
        }
        else
        {
            Assert.Null(query["code_challenge"]);
            Assert.Null(built.Value.CodeVerifier);
        }

        Assert.Equal(template.DefaultScopes.Contains("openid") ? built.Value.Nonce : null, query["nonce"]);
        Assert.All(template.ExtraAuthorizationParameters, p => Assert.Equal(p.Value, query[p.Key]));
        foreach (var parameter in parameters)
        {
            Assert.Contains(parameter.Value, url.Host + url.AbsolutePath, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Instantiate_MicrosoftWithTenant_PutsTheTenantInEveryTenantEndpoint()
    {
        var template = ProviderTemplates.Find("microsoft")!;

        var endpoints = ProviderService.Instantiate(template, new Dictionary<string, string> { ["tenant"] = "contoso.onmicrosoft.com" });

        Assert.Equal("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize", endpoints.Authorization!.AbsoluteUri);
        Assert.Equal("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token", endpoints.Token.AbsoluteUri);
        Assert.Equal("https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0", endpoints.Issuer!.AbsoluteUri);
    }

    [Theory]
    [InlineData("shopify", "shop", "evil.com/x")]
    [InlineData("shopify", "shop", "a@b")]
    [InlineData("salesforce", "login_host", "attacker.example")]
    [InlineData("microsoft", "tenant", "common/../x")]
    public void TemplateParameter_ValueThatCouldMoveTheHost_DoesNotMatch(string templateId, string parameter, string value)
    {
        var pattern = ProviderTemplates.Find(templateId)!.Parameters.Single(p => p.Name == parameter).Pattern;

        Assert.DoesNotMatch(pattern, value);
    }

    private static Dictionary<string, string> SampleParameters(ProviderTemplate template) =>
        template.Parameters.ToDictionary(p => p.Name, p => p.Default ?? "acme-store", StringComparer.Ordinal);

    internal static OAuthProvider ProviderFrom(ProviderTemplate template, ProviderEndpoints endpoints) => new()
    {
        Id = "prv_aaaaaaaaaaaaaaaaaaaa",
        OrganizationId = "org_aaaaaaaaaaaaaaaaaaaa",
        ProjectId = "prj_aaaaaaaaaaaaaaaaaaaa",
        Name = template.Id,
        TemplateId = template.Id,
        Endpoints = endpoints,
        ClientId = "client-123",
        ClientAuthentication = template.ClientAuthentication,
        DefaultScopes = template.DefaultScopes,
        ScopeSeparator = template.ScopeSeparator,
        UsePkce = template.UsePkce || template.PkceRequired,
        ExtraAuthorizationParameters = template.ExtraAuthorizationParameters,
        ExtraTokenParameters = template.ExtraTokenParameters,
        Quirks = template.Quirks,
        CreatedBy = "test",
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };
}
