using Azure.Data.Tables;
using Integrations.Core.OAuth.Flows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Azure.Tests.OAuth;

/// <summary>The hub's services over Azurite with a clock the test moves, and a way to start flows for one connection.</summary>
internal sealed class OAuthStateTestHub : IAsyncDisposable
{
    public const string PublicBaseUrl = "https://hub.example.com";
    public const string Issuer = "https://idp.example.com";

    private OAuthStateTestHub(HubServices hub, FakeTimeProvider time, string org, string project)
    {
        Hub = hub;
        Time = time;
        Org = org;
        Project = project;
    }

    public HubServices Hub { get; }

    public FakeTimeProvider Time { get; }

    public string Org { get; }

    public string Project { get; }

    public OAuthStateService States => Hub.Get<OAuthStateService>();

    public TableClient Table => new(Hub.ConnectionString, Hub.Prefix + "oauthstates");

    public static async Task<OAuthStateTestHub> StartAsync(string? prefix = null, string? rootKey = null, FakeTimeProvider? time = null)
    {
        time ??= new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var hub = await HubServices.StartAsync(prefix, rootKey, new Dictionary<string, string?> { ["Hub:PublicBaseUrl"] = PublicBaseUrl },
            services => services.AddSingleton<TimeProvider>(time));
        var (org, project) = prefix is null ? await hub.CreateProjectAsync("Acme") : ("org_unused", "prj_unused");
        return new OAuthStateTestHub(hub, time, org, project);
    }

    /// <summary>Starts a flow and returns it with the values its authorization URL was built from.</summary>
    public async Task<(StartedOAuthFlow Flow, AuthorizationRequestValues Values)> CreateAsync(
        bool issParameterSupported = false, Uri? issuer = null, bool requireBinding = false, bool usePkce = true, string? org = null, string? project = null)
    {
        AuthorizationRequestValues? captured = null;
        var flow = await States.CreateAsync(
            new OAuthStateRequest
            {
                OrganizationId = org ?? Org,
                ProjectId = project ?? Project,
                ConnectionId = "con_cccccccccccccccccccc",
                ProviderId = "prv_pppppppppppppppppppp",
                Issuer = issuer ?? new Uri(Issuer),
                IssParameterSupported = issParameterSupported,
                ActorId = "key_aaaaaaaaaaaaaaaaaaaa",
                Scopes = ["openid", "email"],
                RedirectAfter = new Uri("https://app.example.com/done"),
                UsePkce = usePkce,
                RequireBrowserBinding = requireBinding,
            },
            values =>
            {
                captured = values;
                return AuthorizationUrl(values);
            });
        return (flow, captured!);
    }

    public static Uri AuthorizationUrl(AuthorizationRequestValues values) =>
        new($"{Issuer}/authorize?response_type=code&client_id=hub&state={values.State}&code_challenge={values.CodeChallenge}&code_challenge_method=S256"
            + $"&nonce={values.Nonce}&redirect_uri={Uri.EscapeDataString(values.RedirectUri.AbsoluteUri)}");

    public static string StartToken(StartedOAuthFlow flow) => flow.StartUrl.Query["?t=".Length..];

    public ValueTask DisposeAsync() => Hub.DisposeAsync();
}
