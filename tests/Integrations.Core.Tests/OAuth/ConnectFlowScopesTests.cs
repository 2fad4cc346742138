using Integrations.Core.Connections;
using Integrations.Core.OAuth;
using Integrations.Core.OAuth.Flows;

namespace Integrations.Core.Tests.OAuth;

public sealed class ConnectFlowScopesTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RequestedScopes_ScopesInsufficient_AsksForWantedAndGranted()
    {
        var connection = Connection(["read", "write"]) with
        {
            State = new ConnectionState { Status = ConnectionStatus.ScopesInsufficient, GrantedScopes = ["read", "profile"] },
        };

        var scopes = ConnectFlowService.RequestedScopes(connection, Provider(["default"]), scopes: null);

        Assert.Equal(["read", "write", "profile"], scopes);
    }

    [Fact]
    public void RequestedScopes_Pending_ConnectionScopesOrElseTheProvidersDefaults()
    {
        Assert.Equal(["read"], ConnectFlowService.RequestedScopes(Connection(["read"]), Provider(["default"]), scopes: null));
        Assert.Equal(["default"], ConnectFlowService.RequestedScopes(Connection([]), Provider(["default"]), scopes: null));
        Assert.Equal(["other"], ConnectFlowService.RequestedScopes(Connection(["read"]), Provider(["default"]), scopes: ["other", "other"]));
    }

    [Theory]
    [InlineData("client_secret")]
    [InlineData("Client_Assertion")]
    [InlineData("client_assertion_type")]
    [InlineData("client_id")]
    [InlineData("grant_type")]
    public void ReservedGrantParameters_ClientAuthenticationAndGrantType_AreReserved(string name) =>
        Assert.Contains(name, ConnectFlowService.ReservedGrantParameters);

    private static Connection Connection(string[] scopes) => new()
    {
        Id = "con_aaaaaaaaaaaaaaaaaaaa", OrganizationId = "org_1", ProjectId = "prj_1", Name = "c", Type = ConnectionType.OAuth2AuthorizationCode,
        ProviderId = "prv_1", Scopes = scopes, CreatedBy = "key_1", CreatedAt = Now, UpdatedAt = Now,
    };

    private static OAuthProvider Provider(string[] defaults) => new()
    {
        Id = "prv_1", OrganizationId = "org_1", ProjectId = "prj_1", Name = "p", ClientId = "hub", DefaultScopes = defaults, CreatedBy = "key_1", CreatedAt = Now, UpdatedAt = Now,
    };
}
