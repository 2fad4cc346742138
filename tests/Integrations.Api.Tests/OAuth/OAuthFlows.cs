using Integrations.Core.OAuth.Flows;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Api.Tests.OAuth;

/// <summary>Starts flows in a running hub the way the future <c>authorize</c> call will, through <see cref="OAuthStateService"/>.</summary>
internal static class OAuthFlows
{
    public const string Issuer = "https://idp.example.com";

    public static async Task<(StartedOAuthFlow Flow, AuthorizationRequestValues Values)> StartAsync(IServiceProvider services, Tenant tenant)
    {
        AuthorizationRequestValues? captured = null;
        var flow = await services.GetRequiredService<OAuthStateService>().CreateAsync(
            new OAuthStateRequest
            {
                OrganizationId = tenant.OrganizationId,
                ProjectId = tenant.ProjectId,
                ConnectionId = "con_cccccccccccccccccccc",
                ProviderId = "prv_pppppppppppppppppppp",
                Issuer = new Uri(Issuer),
                ActorId = "key_aaaaaaaaaaaaaaaaaaaa",
            },
            values =>
            {
                captured = values;
                return new Uri($"{Issuer}/authorize?client_id=hub&state={values.State}&code_challenge={values.CodeChallenge}&code_challenge_method=S256"
                    + $"&redirect_uri={Uri.EscapeDataString(values.RedirectUri.AbsoluteUri)}");
            });
        return (flow, captured!);
    }

    /// <summary>The start link as a path on the hub under test (its public base URL is the Server's default).</summary>
    public static string StartPath(StartedOAuthFlow flow) => flow.StartUrl.PathAndQuery;

    public static HttpClient BrowserWithoutRedirects(HubFixture hub) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = hub.BaseAddress };
}
