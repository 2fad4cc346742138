using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Integrations.Testing.OAuth;

/// <summary>
/// A real OAuth 2.0 / OpenID Connect authorization server (OpenIddict 7) in the test process, on Kestrel at 127.0.0.1
/// and a port the OS picks, with its own storage (EF Core InMemory: the authorization server's, not the hub's). Transport
/// security is not required because it listens on loopback only.
/// </summary>
/// <remarks>
/// <para>Grants: authorization code (PKCE required) with a scripted user who consents at once (the authorize endpoint
/// signs in <see cref="UserSubject"/> without UI and redirects with <c>code</c>, <c>state</c> and <c>iss</c>); client
/// credentials; device authorization (approve or deny a user code with <see cref="ApproveDeviceAsync"/> /
/// <see cref="DenyDeviceAsync"/>); password (<see cref="Username"/>/<see cref="Password"/>); token exchange (RFC 8693,
/// the subject token being one this server issued); JWT bearer (RFC 7523, an assertion from
/// <see cref="CreateJwtBearerAssertion"/>); refresh tokens that rotate, a reused one refused with <c>invalid_grant</c>
/// (reuse leeway zero); revocation; userinfo; id tokens with the request's nonce; discovery at both well-known paths;
/// JWKS.</para>
/// <para>Clients: <see cref="ClientId"/> (confidential, secret <see cref="ClientSecret"/>, which holds characters that
/// RFC 6749 §2.3.1 form-encoding must protect), <see cref="PublicClientId"/> (public: PKCE only) and
/// <see cref="JwtClientId"/> (private_key_jwt with <see cref="JwtClientPrivateKeyPem"/>). Redirect URIs:
/// <see cref="OpenIddictTestServerOptions.RedirectUris"/>.</para>
/// <para><see cref="TokenRequests(string)"/> counts token-endpoint requests by grant type (e.g. to assert that N callers
/// caused exactly one refresh).</para>
/// </remarks>
public sealed class OpenIddictTestServer : IAsyncDisposable
{
    public const string ClientId = "hub-confidential";
    public const string ClientSecret = "s3cret:with+plus %percent&amp=";
    public const string PublicClientId = "hub-public";
    public const string JwtClientId = "hub-jwt";
    public const string Username = "alice";
    public const string Password = "correct horse battery staple";
    public const string UserSubject = "user-123";
    public const string UserEmail = "alice@example.test";
    public const string UserDisplayName = "Alice Example";
    public const string ApiScope = "api";
    public const string JwtBearerGrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /// <summary>The <c>iss</c> that JWT bearer assertions (<see cref="CreateJwtBearerAssertion"/>) carry.</summary>
    public const string AssertionIssuer = "test-assertion-issuer";

    private const string DecisionHeader = "X-Test-Decision";

    private readonly WebApplication _app;
    private readonly OpenIddictTestServerOptions _options;
    private readonly ConcurrentDictionary<string, int> _tokenRequests = new(StringComparer.Ordinal);
    // RSA keys are shared by every server in the process: generating 2048-bit keys costs seconds on a shared machine,
    // and each server is a separate issuer anyway (its own port).
    private static readonly Lazy<RSA> SigningKey = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> JwtClientKey = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> AssertionKey = new(() => RSA.Create(2048));
    private readonly RSA _jwtClientKey = JwtClientKey.Value;
    private readonly RSA _assertionKey = AssertionKey.Value;
    private readonly HttpClient _browser;

    private OpenIddictTestServer(OpenIddictTestServerOptions options)
    {
        _options = options;
        AccessTokenLifetime = options.AccessTokenLifetime;
        JwtClientPrivateKeyPem = _jwtClientKey.ExportPkcs8PrivateKeyPem();
        _browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false });

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (options.LoggerProvider is not null)
        {
            builder.Logging.AddProvider(options.LoggerProvider);
        }

        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var database = "openiddict-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        builder.Services.AddDbContext<DbContext>(db => db
            .UseInMemoryDatabase(database)
            .UseOpenIddict()
            // The in-memory provider has no transactions; OpenIddict's stores ask for one around token redemption.
            .ConfigureWarnings(warnings => warnings.Ignore(InMemoryEventId.TransactionIgnoredWarning)));
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<DbContext>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetDeviceAuthorizationEndpointUris("connect/device")
                    .SetEndUserVerificationEndpointUris("connect/verify")
                    .SetRevocationEndpointUris("connect/revoke")
                    .SetUserInfoEndpointUris("connect/userinfo")
                    .SetConfigurationEndpointUris(".well-known/openid-configuration", ".well-known/oauth-authorization-server");
                server.AllowAuthorizationCodeFlow()
                    .AllowClientCredentialsFlow()
                    .AllowDeviceAuthorizationFlow()
                    .AllowPasswordFlow()
                    .AllowRefreshTokenFlow()
                    .AllowTokenExchangeFlow()
                    .AllowCustomFlow(JwtBearerGrantType);
                server.RequireProofKeyForCodeExchange();
                server.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile, Scopes.OfflineAccess, ApiScope);
                server.AddEncryptionKey(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)))
                    .AddSigningKey(new RsaSecurityKey(SigningKey.Value) { KeyId = "test-signing-key" });
                // Readable JWT access tokens, as most providers issue.
                server.DisableAccessTokenEncryption();
                server.SetAccessTokenLifetime(options.AccessTokenLifetime);
                // A rotated refresh token is spent at once: its reuse is refused (and revokes the chain).
                server.SetRefreshTokenReuseLeeway(TimeSpan.Zero);
                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndUserVerificationEndpointPassthrough()
                    // Loopback only (Kestrel listens on 127.0.0.1): the hub's tests speak plain HTTP to it.
                    .DisableTransportSecurityRequirement();
            });

        _app = builder.Build();
        _app.Use(CountTokenRequestsAsync);
        _app.UseAuthentication();
        _app.MapMethods("connect/authorize", ["GET", "POST"], (Delegate)Authorize);
        _app.MapPost("connect/token", (Delegate)ExchangeAsync);
        _app.MapMethods("connect/userinfo", ["GET", "POST"], (Delegate)UserInfoAsync);
        _app.MapMethods("connect/verify", ["GET", "POST"], (Delegate)VerifyAsync);
    }

    /// <summary>http://127.0.0.1:{port}/ — the issuer OpenIddict puts in tokens and discovery (with the trailing slash).</summary>
    public Uri Issuer { get; private set; } = null!;

    public Uri AuthorizationEndpoint => new(Issuer, "connect/authorize");

    public Uri TokenEndpoint => new(Issuer, "connect/token");

    public Uri DeviceAuthorizationEndpoint => new(Issuer, "connect/device");

    public Uri RevocationEndpoint => new(Issuer, "connect/revoke");

    public Uri UserInfoEndpoint => new(Issuer, "connect/userinfo");

    public Uri JwksUri => new(Issuer, ".well-known/jwks");

    public Uri DiscoveryDocument => new(Issuer, ".well-known/openid-configuration");

    /// <summary>The first of <see cref="OpenIddictTestServerOptions.RedirectUris"/>.</summary>
    public Uri RedirectUri => _options.RedirectUris[0];

    /// <summary>PEM (PKCS#8) of <see cref="JwtClientId"/>'s private key; the server knows its public half.</summary>
    public string JwtClientPrivateKeyPem { get; }

    /// <summary>Lifetime of access tokens issued from now on (read at each issuance, so a test may shorten it).</summary>
    public TimeSpan AccessTokenLifetime { get; set; }

    /// <summary>When true, the scripted user refuses consent: the authorize endpoint redirects with <c>access_denied</c>.</summary>
    public bool UserDeniesConsent { get; set; }

    /// <summary>Token-endpoint requests so far, by grant type.</summary>
    public IReadOnlyDictionary<string, int> TokenRequestCounts => new Dictionary<string, int>(_tokenRequests, StringComparer.Ordinal);

    public static async Task<OpenIddictTestServer> StartAsync(OpenIddictTestServerOptions? options = null)
    {
        var server = new OpenIddictTestServer(options ?? new OpenIddictTestServerOptions());
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Issuer = new Uri(address.TrimEnd('/') + "/");
        await server.SeedAsync();
        return server;
    }

    /// <summary>Token-endpoint requests so far with this grant type (e.g. <c>refresh_token</c>).</summary>
    public int TokenRequests(string grantType) => _tokenRequests.TryGetValue(grantType, out var count) ? count : 0;

    public void ResetTokenRequestCounts() => _tokenRequests.Clear();

    /// <summary>
    /// Plays the browser: requests <paramref name="authorizationUrl"/> (the scripted user consents at once) and returns
    /// the redirect the server answers with — the redirect URI with <c>code</c>, <c>state</c> and <c>iss</c>, or with
    /// <c>error</c>.
    /// </summary>
    public async Task<Uri> AuthorizeAsync(Uri authorizationUrl, CancellationToken cancellationToken = default)
    {
        using var response = await _browser.GetAsync(authorizationUrl, cancellationToken);
        return response.Headers.Location is { } location
            ? location
            : throw new InvalidOperationException($"The authorization endpoint answered HTTP {(int)response.StatusCode} without a redirect: {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }

    /// <summary>The scripted user enters <paramref name="userCode"/> and approves the device (RFC 8628 §3.3).</summary>
    public Task ApproveDeviceAsync(string userCode, CancellationToken cancellationToken = default) => DecideDeviceAsync(userCode, "approve", cancellationToken);

    /// <summary>The scripted user enters <paramref name="userCode"/> and denies: the device's next poll gets <c>access_denied</c>.</summary>
    public Task DenyDeviceAsync(string userCode, CancellationToken cancellationToken = default) => DecideDeviceAsync(userCode, "deny", cancellationToken);

    /// <summary>An RFC 7523 assertion for the JWT bearer grant, signed by the key this server trusts for <see cref="AssertionIssuer"/>.</summary>
    public string CreateJwtBearerAssertion(string subject, TimeSpan? lifetime = null)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AssertionIssuer,
            Audience = TokenEndpoint.AbsoluteUri,
            Subject = new ClaimsIdentity([new Claim(Claims.Subject, subject)]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromMinutes(5)),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_assertionKey), SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        _browser.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static IEnumerable<string> DestinationsOf(Claim claim) => claim.Type switch
    {
        Claims.Name or Claims.Email => [Destinations.AccessToken, Destinations.IdentityToken],
        _ => [Destinations.AccessToken],
    };

    private static IResult Refuse(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    private async Task SeedAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        string[] userGrants =
        [
            Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.DeviceAuthorization,
            Permissions.Endpoints.Revocation, Permissions.ResponseTypes.Code,
            Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.DeviceCode, Permissions.GrantTypes.RefreshToken,
            Permissions.Scopes.Email, Permissions.Scopes.Profile, Permissions.Prefixes.Scope + ApiScope,
        ];

        var confidential = new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
        };
        Fill(confidential, userGrants);
        Fill(confidential, [Permissions.GrantTypes.ClientCredentials, Permissions.GrantTypes.Password, Permissions.GrantTypes.TokenExchange, Permissions.Prefixes.GrantType + JwtBearerGrantType]);
        await applications.CreateAsync(confidential);

        var publicClient = new OpenIddictApplicationDescriptor { ClientId = PublicClientId, ClientType = ClientTypes.Public, ConsentType = ConsentTypes.Implicit };
        Fill(publicClient, userGrants);
        await applications.CreateAsync(publicClient);

        var jwtClient = new OpenIddictApplicationDescriptor
        {
            ClientId = JwtClientId,
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
            JsonWebKeySet = new JsonWebKeySet { Keys = { JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_jwtClientKey.ExportParameters(false))) } },
        };
        Fill(jwtClient, userGrants);
        Fill(jwtClient, [Permissions.GrantTypes.ClientCredentials]);
        await applications.CreateAsync(jwtClient);

        void Fill(OpenIddictApplicationDescriptor descriptor, string[] permissions)
        {
            foreach (var permission in permissions)
            {
                descriptor.Permissions.Add(permission);
            }

            foreach (var redirect in _options.RedirectUris)
            {
                descriptor.RedirectUris.Add(redirect);
            }

            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        }
    }

    private async Task CountTokenRequestsAsync(HttpContext context, Func<Task> next)
    {
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path == "/connect/token" && context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            _tokenRequests.AddOrUpdate(form[Parameters.GrantType].ToString(), 1, (_, count) => count + 1);
        }

        await next();
    }

    private static ClaimsIdentity UserIdentity(IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, UserSubject).SetClaim(Claims.Email, UserEmail).SetClaim(Claims.Name, UserDisplayName);
        identity.SetScopes(scopes);
        identity.SetDestinations(DestinationsOf);
        return identity;
    }

    private ClaimsPrincipal Issue(ClaimsIdentity identity)
    {
        var principal = new ClaimsPrincipal(identity);
        principal.SetAccessTokenLifetime(AccessTokenLifetime);
        return principal;
    }

    private IResult Authorize(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenIddict request.");
        if (UserDeniesConsent)
        {
            return Refuse(Errors.AccessDenied, "The user refused.");
        }

        return Results.SignIn(Issue(UserIdentity(request.GetScopes())), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private async Task<IResult> ExchangeAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenIddict request.");
        if (request.IsClientCredentialsGrantType())
        {
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, request.ClientId);
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(DestinationsOf);
            return Results.SignIn(Issue(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsPasswordGrantType())
        {
            return request.Username == Username && request.Password == Password
                ? Results.SignIn(Issue(UserIdentity(request.GetScopes())), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)
                : Refuse(Errors.InvalidGrant, "The username or password is wrong.");
        }

        if (request.GrantType == JwtBearerGrantType)
        {
            var validation = await new JsonWebTokenHandler().ValidateTokenAsync(request.Assertion ?? "", new TokenValidationParameters
            {
                ValidIssuer = AssertionIssuer,
                ValidAudience = TokenEndpoint.AbsoluteUri,
                IssuerSigningKey = new RsaSecurityKey(_assertionKey.ExportParameters(false)),
            });
            if (!validation.IsValid || validation.ClaimsIdentity.FindFirst(Claims.Subject)?.Value is not { } subject)
            {
                return Refuse(Errors.InvalidGrant, "The assertion is not valid.");
            }

            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, subject);
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(DestinationsOf);
            return Results.SignIn(Issue(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        // Authorization code, device code, refresh token and token exchange: OpenIddict validated the code or token.
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (result.Principal?.GetClaim(Claims.Subject) is not { } sub)
        {
            return Refuse(Errors.InvalidGrant, "The grant is no longer valid.");
        }

        if (request.IsTokenExchangeGrantType())
        {
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, sub);
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(DestinationsOf);
            return Results.SignIn(Issue(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(result.Principal.Claims, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role));
        principal.SetDestinations(DestinationsOf);
        principal.SetAccessTokenLifetime(AccessTokenLifetime);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> UserInfoAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (result.Principal is not { } principal)
        {
            return Results.Challenge(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        return Results.Json(new Dictionary<string, string?>
        {
            [Claims.Subject] = principal.GetClaim(Claims.Subject),
            [Claims.Email] = principal.GetClaim(Claims.Email) ?? UserEmail,
            [Claims.Name] = principal.GetClaim(Claims.Name) ?? UserDisplayName,
        });
    }

    private async Task<IResult> VerifyAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (result.Principal is not { } device)
        {
            return Results.BadRequest("unknown or expired user code");
        }

        if (context.Request.Headers[DecisionHeader] == "deny")
        {
            return Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        return Results.SignIn(Issue(UserIdentity(device.GetScopes())), new AuthenticationProperties { RedirectUri = "/" }, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private async Task DecideDeviceAsync(string userCode, string decision, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Issuer, "connect/verify"))
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("user_code", userCode)]),
        };
        request.Headers.Add(DecisionHeader, decision);
        using var response = await _browser.SendAsync(request, cancellationToken);
        // A denial is answered with OpenIddict's access_denied error page (400).
        if ((int)response.StatusCode >= 400 && decision != "deny")
        {
            throw new InvalidOperationException($"The verification endpoint answered HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}

/// <summary>How <see cref="OpenIddictTestServer"/> starts.</summary>
public sealed record OpenIddictTestServerOptions
{
    /// <summary>Default 1 hour; <see cref="OpenIddictTestServer.AccessTokenLifetime"/> changes it later.</summary>
    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Registered for every client. Default http://127.0.0.1/oauth/callback (the server never calls it).</summary>
    public IReadOnlyList<Uri> RedirectUris { get; init; } = [new Uri("http://127.0.0.1/oauth/callback")];

    /// <summary>Receives the server's own logs when set (they are discarded otherwise).</summary>
    public ILoggerProvider? LoggerProvider { get; init; }
}
