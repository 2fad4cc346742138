using Integrations.Core.OAuth;
using Integrations.Core.OAuth.Protocol;
using Integrations.Testing.OAuth;

namespace Integrations.Http.Tests.OAuth;

/// <summary>What of a token response beyond RFC 6749 §5.1 the protocol client keeps (<see cref="TokenResponse.Extra"/>).</summary>
public sealed class TokenResponseMembersTests
{
    [Fact]
    public async Task RequestToken_SlackOAuthV2Response_KeepsNestedIdsAsParentDotChild_AndNoNestedToken()
    {
        // https://api.slack.com/methods/oauth.v2.access (the documented example response).
        await using var endpoint = await ScriptedTokenEndpoint.StartAsync();
        await using var host = OAuthTestHost.Create();
        const string userToken = "xoxp-1234-user-token-5678";
        const string refreshToken = "xoxe-1-refresh-9999";
        endpoint.Enqueue(ScriptedResponse.Json(new
        {
            ok = true,
            access_token = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
            token_type = "bot",
            scope = "commands,incoming-webhook",
            bot_user_id = "U0KRQLJ9H",
            app_id = "A0KRD7HC3",
            team = new { name = "Slack Softball Team", id = "T9TK3CUKW" },
            enterprise = new { name = "slack-sports", id = "E12345678" },
            authed_user = new { id = "U1234", scope = "chat:write", access_token = userToken, token_type = "user", refresh_token = refreshToken },
        }));

        var result = await host.Protocol.RequestTokenAsync(new TokenRequest(endpoint.TokenEndpoint,
            new OAuthClientCredentials("client", ClientAuthenticationMethod.ClientSecretPost, "client-secret-1"), "authorization_code",
            new Dictionary<string, string> { ["code"] = "code-1", ["redirect_uri"] = "https://hub.example/v1/oauth/callback" }, "circuit"));

        Assert.True(result.IsSuccess);
        var extra = result.Response.Extra;
        Assert.Equal(("T9TK3CUKW", "E12345678", "U1234", "U0KRQLJ9H"), (extra["team.id"], extra["enterprise.id"], extra["authed_user.id"], extra["bot_user_id"]));
        Assert.DoesNotContain(extra, e => e.Value.Contains(userToken, StringComparison.Ordinal) || e.Value.Contains(refreshToken, StringComparison.Ordinal));
        Assert.DoesNotContain(extra.Keys, k => k.Contains("token", StringComparison.Ordinal) && !k.EndsWith("token_type", StringComparison.Ordinal));
    }
}
