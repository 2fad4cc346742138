using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Integrations.Core.Audit;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Identity.Tokens;
using Integrations.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Identity;

/// <summary>
/// People over real HTTP: sign-up, login, refresh, logout, password change and <c>GET /v1/me</c>, and their access tokens
/// in front of the existing routes (roles enforced through the same scope step as API keys).
/// </summary>
public sealed class AuthApiTests(AuthHubFixture auth) : IClassFixture<AuthHubFixture>
{
    private HubFixture Hub => auth.Hub;

    [Fact]
    public async Task SignUp_NewPerson_GetsAPersonalOrganizationAsOwner_AndTheTokenListsSecretsThere()
    {
        var email = AuthHubFixture.NewEmail();

        var tokens = await auth.SignUpAsync(email);

        Assert.Equal("Bearer", (string?)tokens["token_type"]);
        Assert.Equal(7200, (long)tokens["expires_in"]!);
        Assert.StartsWith("ihr_", (string)tokens["refresh_token"]!);
        Assert.Equal(email, (string?)tokens["user"]!["email"]);
        Assert.False((bool)tokens["user"]!["email_verified"]!);
        Assert.Equal("Test Person", (string?)tokens["user"]!["display_name"]);
        using var person = Hub.Client((string)tokens["access_token"]!);
        var me = await Json(await person.GetAsync("/v1/me"), HttpStatusCode.OK);
        var organization = Assert.Single(me["organizations"]!.AsArray())!;
        Assert.Equal(("owner", true), ((string?)organization["role"], (bool)organization["personal"]!));
        Assert.Equal((string?)organization["id"], (string?)me["organization_id"]);
        var project = await Json(await person.PostAsJsonAsync("/v1/projects", new { name = "mine" }), HttpStatusCode.Created);
        var secrets = $"/v1/projects/{(string)project["id"]!}/secrets";
        await Json(await person.PostAsJsonAsync(secrets, new { name = "db-password", value = "s3cret-value" }), HttpStatusCode.Created);
        var listed = await Json(await person.GetAsync(secrets), HttpStatusCode.OK);
        Assert.Contains("db-password", listed.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateApiKey_WithAnOwnersAccessToken_IssuesAKeyWithoutParent_AndAnAdminCannotGiveWhatTheRoleLacks()
    {
        var owner = await auth.SignUpAsync(AuthHubFixture.NewEmail());
        var organizationId = (string)owner["organization_id"]!;
        using var person = Hub.Client((string)owner["access_token"]!);
        var adminEmail = AuthHubFixture.NewEmail();
        var adminId = (string)(await auth.SignUpAsync(adminEmail))["user"]!["id"]!;
        await Hub.Services.GetRequiredService<IMembershipStore>().AddAsync(
            new Membership(organizationId, adminId, OrganizationRole.Admin, Personal: false, TimeProvider.System.GetUtcNow()));
        using var admin = Hub.Client((string)(await auth.LoginAsync(adminEmail, organizationId: organizationId))["access_token"]!);

        var created = await Json(await person.PostAsJsonAsync($"/v1/orgs/{organizationId}/api-keys", new { name = "ci", scopes = new[] { "projects:write" } }),
            HttpStatusCode.Created);
        using var key = Hub.Client((string)created["key"]!);
        var madeByKey = await key.PostAsJsonAsync("/v1/projects", new { name = "by-key" });
        var adminRefused = await admin.PostAsJsonAsync($"/v1/orgs/{organizationId}/api-keys", new { name = "x", scopes = new[] { "admin" } });

        // The person's role bounds the key, the key has no parent key, and it works on its own.
        Assert.Null((string?)created["parent_key_id"]);
        Assert.Equal(HttpStatusCode.Created, madeByKey.StatusCode);
        // An Admin's role lacks the organization's keys and audit ('admin'): the route itself is closed to it.
        Assert.Equal(HttpStatusCode.Forbidden, adminRefused.StatusCode);
    }

    [Fact]
    public async Task ViewerToken_ReadsButCannotWrite_AndAnotherOrganizationsProjectIsNotFound()
    {
        var tenant = await Hub.CreateTenantAsync();
        var email = AuthHubFixture.NewEmail();
        var signedUp = await auth.SignUpAsync(email);
        var userId = (string)signedUp["user"]!["id"]!;
        await Hub.Services.GetRequiredService<IMembershipStore>().AddAsync(
            new Membership(tenant.OrganizationId, userId, OrganizationRole.Viewer, Personal: false, TimeProvider.System.GetUtcNow()));
        var viewer = await auth.LoginAsync(email, organizationId: tenant.OrganizationId);
        Assert.Equal(("viewer", tenant.OrganizationId), ((string?)viewer["role"], (string?)viewer["organization_id"]));
        using var client = Hub.Client((string)viewer["access_token"]!);
        using var personal = Hub.Client((string)signedUp["access_token"]!);

        var read = await client.GetAsync(tenant.Secrets);
        var write = await client.PostAsJsonAsync(tenant.Secrets, new { name = "viewer-write", value = "v" });
        var otherOrganization = await personal.GetAsync(tenant.Secrets);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        await Problem(write, HttpStatusCode.Forbidden, "missing-scope");
        await Problem(otherOrganization, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Login_UnknownEmailAndWrongPassword_AnswerTheSameStatusAndBody()
    {
        var email = AuthHubFixture.NewEmail();
        await auth.SignUpAsync(email);
        using var client = Hub.Client();

        var unknown = await client.PostAsJsonAsync("/v1/auth/login", new { email = AuthHubFixture.NewEmail(), password = "Wrong-Password-77!" });
        var wrong = await client.PostAsJsonAsync("/v1/auth/login", new { email, password = "Wrong-Password-77!" });

        var unknownBody = await Problem(unknown, HttpStatusCode.Unauthorized, "invalid-credentials");
        var wrongBody = await Problem(wrong, HttpStatusCode.Unauthorized, "invalid-credentials");
        // The request's own trace id is the only difference allowed.
        unknownBody.AsObject().Remove("traceId");
        wrongBody.AsObject().Remove("traceId");
        Assert.Equal(unknownBody.ToJsonString(), wrongBody.ToJsonString());
    }

    [Fact]
    public async Task Login_FifthFailure_LocksTheAccountWith429AndRetryAfter()
    {
        var email = AuthHubFixture.NewEmail();
        await auth.SignUpAsync(email);
        using var client = Hub.Client();
        for (var i = 0; i < 5; i++)
        {
            await Problem(await client.PostAsJsonAsync("/v1/auth/login", new { email, password = "Wrong-Password-77!" }), HttpStatusCode.Unauthorized, "invalid-credentials");
        }

        var locked = await client.PostAsJsonAsync("/v1/auth/login", new { email, password = AuthHubFixture.Password });

        await Problem(locked, HttpStatusCode.TooManyRequests, "login-throttled");
        Assert.InRange(locked.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 15 * 60);
    }

    [Fact]
    public async Task Refresh_RotatesOnce_AndReusingTheOldTokenEndsTheSession()
    {
        var tokens = await auth.SignUpAsync();
        var first = (string)tokens["refresh_token"]!;
        using var client = Hub.Client();

        var rotated = await Json(await client.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = first }), HttpStatusCode.OK);
        var second = (string)rotated["refresh_token"]!;
        var reused = await client.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = first });
        var afterReuse = await client.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = second });

        Assert.NotEqual(first, second);
        Assert.NotEqual((string?)tokens["access_token"], (string?)rotated["access_token"]);
        await Problem(reused, HttpStatusCode.Unauthorized, "invalid-refresh-token");
        await Problem(afterReuse, HttpStatusCode.Unauthorized, "invalid-refresh-token");
    }

    [Fact]
    public async Task LogoutAll_OldAccessTokenRefusedOnASecondInstance_OnceTheSessionCheckIntervalPasses()
    {
        var email = AuthHubFixture.NewEmail();
        var signedUp = await auth.SignUpAsync(email);
        var login = await auth.LoginAsync(email);
        using var onSecond = auth.Second.Client((string)login["access_token"]!);
        using var onFirst = Hub.Client((string)signedUp["access_token"]!);
        using var anonymous = Hub.Client();
        await Json(await onSecond.GetAsync("/v1/me"), HttpStatusCode.OK); // the second instance has now seen the session live

        var ended = await Json(await onFirst.PostAsync("/v1/auth/logout-all", null), HttpStatusCode.OK);
        var refreshAtOnce = await anonymous.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = (string)login["refresh_token"]! });
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var afterInterval = await onSecond.GetAsync("/v1/me");

        Assert.Equal(2, (int)ended["sessions_ended"]!);
        await Problem(refreshAtOnce, HttpStatusCode.Unauthorized, "invalid-refresh-token");
        await Problem(afterInterval, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task ChangePassword_OldAccessTokenRefusedOnASecondInstance_OnceTheSessionCheckIntervalPasses()
    {
        var email = AuthHubFixture.NewEmail();
        var signedUp = await auth.SignUpAsync(email);
        var login = await auth.LoginAsync(email);
        using var onSecond = auth.Second.Client((string)login["access_token"]!);
        using var onFirst = Hub.Client((string)signedUp["access_token"]!);
        await Json(await onSecond.GetAsync("/v1/me"), HttpStatusCode.OK); // the second instance has now seen the session live

        var changed = await onFirst.PostAsJsonAsync("/v1/auth/password", new { current_password = AuthHubFixture.Password, new_password = "Basalt-Orchid-Lantern-83" });
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var afterInterval = await onSecond.GetAsync("/v1/me");

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        await Problem(afterInterval, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task Logout_EndsTheSession_AndAnswers204EvenForAnUnknownToken()
    {
        var tokens = await auth.SignUpAsync();
        using var client = Hub.Client();

        var logout = await client.PostAsJsonAsync("/v1/auth/logout", new { refresh_token = (string)tokens["refresh_token"]! });
        var unknown = await client.PostAsJsonAsync("/v1/auth/logout", new { refresh_token = "ihr_not-a-token" });
        var refresh = await client.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = (string)tokens["refresh_token"]! });

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, unknown.StatusCode);
        await Problem(refresh, HttpStatusCode.Unauthorized, "invalid-refresh-token");
    }

    [Fact]
    public async Task Logout_WithATokenMadeUpToNameAnotherPersonsSession_EndsNothing()
    {
        var victim = await auth.SignUpAsync();
        var attacker = await auth.SignUpAsync();
        var victimToken = (string)victim["refresh_token"]!;
        var named = RefreshToken.ReadSubject(victimToken)!; // the ids a token names are no secret (the access token has sid)
        var forged = ForgedRefreshToken.Naming((string)attacker["refresh_token"]!, named.UserId, named.SessionId, named.Generation);
        using var client = Hub.Client();

        var logout = await client.PostAsJsonAsync("/v1/auth/logout", new { refresh_token = forged });
        var refresh = await client.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = victimToken });

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        await Json(refresh, HttpStatusCode.OK);
    }

    [Fact]
    public async Task ChangePassword_RefusesOldRefreshTokensAtOnce_AndTheNewPasswordLogsIn()
    {
        var email = AuthHubFixture.NewEmail();
        var tokens = await auth.SignUpAsync(email);
        using var person = Hub.Client((string)tokens["access_token"]!);
        using var anonymous = Hub.Client();
        const string NewPassword = "Lantern-Orchid-Basalt-38";

        var wrongCurrent = await person.PostAsJsonAsync("/v1/auth/password", new { current_password = "Not-The-Password-1!", new_password = NewPassword });
        var changed = await person.PostAsJsonAsync("/v1/auth/password", new { current_password = AuthHubFixture.Password, new_password = NewPassword });
        var oldRefresh = await anonymous.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = (string)tokens["refresh_token"]! });

        await Problem(wrongCurrent, HttpStatusCode.BadRequest, "invalid-credentials");
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        await Problem(oldRefresh, HttpStatusCode.Unauthorized, "invalid-refresh-token");
        await auth.LoginAsync(email, NewPassword);
    }

    [Fact]
    public async Task AccessToken_Tampered_Is401()
    {
        var tokens = await auth.SignUpAsync();
        var token = (string)tokens["access_token"]!;
        var parts = token.Split('.');
        // Flip one character of the payload: the signature no longer covers it.
        var payload = parts[1].ToCharArray();
        payload[10] = payload[10] == 'A' ? 'B' : 'A';
        using var client = Hub.Client($"{parts[0]}.{new string(payload)}.{parts[2]}");

        var response = await client.GetAsync("/v1/me");

        await Problem(response, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task UserRoutes_WithAnApiKey_Are403()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var key = Hub.Client(tenant.OwnerKey);

        var response = await key.GetAsync("/v1/me");

        await Problem(response, HttpStatusCode.Forbidden, "user-token-required");
    }

    [Fact]
    public async Task PrincipalHeader_OutsideDevelopment_Is401AndLoggedAtWarning()
    {
        var tokens = await auth.SignUpAsync();
        using var client = Hub.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me");
        request.Headers.Add("X-Principal-Id", (string)tokens["user"]!["id"]!);

        var response = await client.SendAsync(request);

        await Problem(response, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains(auth.Logs.Lines, line => line.Contains("[9702] Warning", StringComparison.Ordinal) && line.Contains("Production", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PrincipalHeader_OutsideDevelopment_RefusedEvenWithAValidAccessToken()
    {
        var tokens = await auth.SignUpAsync();
        using var client = Hub.Client((string)tokens["access_token"]!);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me");
        request.Headers.Add("X-Principal-Id", (string)tokens["user"]!["id"]!);

        var response = await client.SendAsync(request);

        await Problem(response, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task AuthFlows_NeverPutAPasswordOrTokenInLogsProblemsOrAudit()
    {
        var email = AuthHubFixture.NewEmail();
        var tokens = await auth.SignUpAsync(email);
        using var anonymous = Hub.Client();
        var problems = new List<string>();
        const string WrongPassword = "Wrong-Password-Zebra-55";
        problems.Add(await (await anonymous.PostAsJsonAsync("/v1/auth/login", new { email, password = WrongPassword })).Content.ReadAsStringAsync());
        var login = await auth.LoginAsync(email);
        var refreshed = await Json(await anonymous.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = (string)login["refresh_token"]! }), HttpStatusCode.OK);
        problems.Add(await (await anonymous.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = (string)login["refresh_token"]! })).Content.ReadAsStringAsync());
        using var bad = Hub.Client((string)tokens["access_token"]! + "x");
        problems.Add(await (await bad.GetAsync("/v1/me")).Content.ReadAsStringAsync());
        using var person = Hub.Client((string)refreshed["access_token"]!);
        problems.Add(await (await person.PostAsJsonAsync("/v1/auth/password", new { current_password = WrongPassword, new_password = "Short1!" })).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostAsJsonAsync("/v1/auth/logout", new { refresh_token = (string)refreshed["refresh_token"]! })).StatusCode);

        var secrets = new[]
        {
            AuthHubFixture.Password, WrongPassword, "Short1!", (string)tokens["access_token"]!, (string)tokens["refresh_token"]!, (string)login["access_token"]!,
            (string)login["refresh_token"]!, (string)refreshed["access_token"]!, (string)refreshed["refresh_token"]!,
        };
        var audit = new TableClient(Hub.ConnectionString, Hub.Prefix + "audit");
        var auditText = string.Join('\n', (await AuditRows.ReadAsync(audit, AuditPartition.Platform)).Select(r => r.Record.ToJsonString()));
        Assert.Contains(AuditActions.UserLogin, auditText, StringComparison.Ordinal);
        Assert.Contains(AuditActions.UserRefresh, auditText, StringComparison.Ordinal);
        foreach (var secret in secrets)
        {
            // Tokens by their signature/entropy part too, so a truncated copy is also found.
            var probe = secret.StartsWith("eyJ", StringComparison.Ordinal) ? secret.Split('.')[2] : secret;
            Assert.DoesNotContain(auth.Logs.Lines, line => line.Contains(probe, StringComparison.Ordinal));
            Assert.All(problems, body => Assert.DoesNotContain(probe, body, StringComparison.Ordinal));
            Assert.DoesNotContain(probe, auditText, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(auth.Logs.Lines, line => line.Contains(email, StringComparison.OrdinalIgnoreCase));
    }
}
