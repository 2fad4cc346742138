using System.Security.Cryptography;
using System.Text;
using Integrations.Core.OAuth;
using Integrations.Core.OAuth.Protocol;
using Integrations.Testing.OAuth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Integrations.Http.Tests.OAuth;

/// <summary>What each client authentication method puts on the wire, read back by a scripted token endpoint.</summary>
public sealed class ClientAuthenticationTests : IAsyncLifetime
{
    private const string ClientId = "client id:1";
    private const string Secret = "p@ss:w+rd %&=é";

    private ScriptedTokenEndpoint _endpoint = null!;
    private OAuthTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _endpoint = await ScriptedTokenEndpoint.StartAsync();
        _endpoint.SetDefault("/token", ScriptedResponse.Token());
        _host = OAuthTestHost.Create();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _endpoint.DisposeAsync();
    }

    [Fact]
    public async Task ClientSecretBasic_FormEncodesIdAndSecretBeforeJoiningThem()
    {
        var result = await SendAsync(new OAuthClientCredentials(ClientId, ClientAuthenticationMethod.ClientSecretBasic, Secret));

        var request = _endpoint.Requests.Single();
        var header = request.Headers["Authorization"];
        Assert.StartsWith("Basic ", header, StringComparison.Ordinal);
        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
        // RFC 6749 §2.3.1: the ':' inside the id and the secret are encoded, so exactly one separates them.
        Assert.Single(decoded, ':');
        var parts = decoded.Split(':');
        Assert.Equal(ClientId, FormDecode(parts[0]));
        Assert.Equal(Secret, FormDecode(parts[1]));
        Assert.False(request.Form.ContainsKey("client_secret"));
        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task ClientSecretPost_SendsIdAndSecretInTheBody()
    {
        await SendAsync(new OAuthClientCredentials(ClientId, ClientAuthenticationMethod.ClientSecretPost, Secret));

        var request = _endpoint.Requests.Single();
        Assert.Equal((ClientId, Secret), (request.Form["client_id"], request.Form["client_secret"]));
        Assert.False(request.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task None_SendsOnlyTheClientId()
    {
        await SendAsync(new OAuthClientCredentials(ClientId, ClientAuthenticationMethod.None));

        var request = _endpoint.Requests.Single();
        Assert.Equal(ClientId, request.Form["client_id"]);
        Assert.False(request.Form.ContainsKey("client_secret"));
        Assert.False(request.Headers.ContainsKey("Authorization"));
    }

    [Theory]
    [InlineData("RSA", SecurityAlgorithms.RsaSha256)]
    [InlineData("EC", SecurityAlgorithms.EcdsaSha256)]
    public async Task PrivateKeyJwt_SendsAShortLivedAssertionSignedByTheKey(string keyType, string algorithm)
    {
        using AsymmetricAlgorithm key = keyType == "RSA" ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        SecurityKey publicKey = key is RSA rsa ? new RsaSecurityKey(rsa.ExportParameters(false)) : new ECDsaSecurityKey(ECDsa.Create(((ECDsa)key).ExportParameters(false)));

        await SendAsync(new OAuthClientCredentials(ClientId, ClientAuthenticationMethod.PrivateKeyJwt, PrivateKeyPem: key.ExportPkcs8PrivateKeyPem()));
        await SendAsync(new OAuthClientCredentials(ClientId, ClientAuthenticationMethod.PrivateKeyJwt, PrivateKeyPem: key.ExportPkcs8PrivateKeyPem()));

        var forms = _endpoint.Requests.Select(r => r.Form).ToList();
        Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", forms[0]["client_assertion_type"]);
        var assertion = new JsonWebToken(forms[0]["client_assertion"]);
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidIssuer = ClientId,
            ValidAudience = _endpoint.TokenEndpoint.AbsoluteUri,
            IssuerSigningKey = publicKey,
            ValidateLifetime = false,
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        Assert.Equal((algorithm, "client-authentication+jwt"), (assertion.Alg, assertion.Typ));
        Assert.Equal(ClientId, assertion.Subject);
        Assert.Equal(TimeSpan.FromSeconds(60), assertion.ValidTo - assertion.IssuedAt);
        Assert.NotEqual(assertion.Id, new JsonWebToken(forms[1]["client_assertion"]).Id);
        Assert.False(forms[0].ContainsKey("client_secret"));
    }

    [Fact]
    public async Task PrivateKeyJwt_WithAnAssertionAudience_UsesItAsAud()
    {
        using var rsa = RSA.Create(2048);
        var issuer = new Uri("https://issuer.example/");

        await SendAsync(new OAuthClientCredentials(ClientId, ClientAuthenticationMethod.PrivateKeyJwt, PrivateKeyPem: rsa.ExportPkcs8PrivateKeyPem()) { AssertionAudience = issuer });

        var assertion = new JsonWebToken(_endpoint.Requests.Single().Form["client_assertion"]);
        Assert.Equal([issuer.AbsoluteUri], assertion.Audiences);
    }

    [Fact]
    public async Task ClientSecretBasic_WithoutSecret_IsAProgrammingError()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => SendAsync(new OAuthClientCredentials(ClientId, ClientAuthenticationMethod.ClientSecretBasic)));

        Assert.Equal(0, _endpoint.RequestCount);
    }

    private static string FormDecode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    private Task<TokenResult> SendAsync(OAuthClientCredentials client) =>
        _host.Protocol.RequestTokenAsync(new TokenRequest(_endpoint.TokenEndpoint, client, "client_credentials", new Dictionary<string, string>(), "circuit"));
}
