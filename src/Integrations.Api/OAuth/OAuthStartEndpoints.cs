using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.OAuth.Flows;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Net.Http.Headers;

namespace Integrations.Api.OAuth;

/// <summary>
/// <c>GET /v1/oauth/start?t=…</c>: the single-use start link <c>authorize</c> returns. Opening it binds the flow to this
/// browser (a fresh value in a cookie; its hash stored with the state) and redirects to the provider's authorization URL.
/// </summary>
/// <remarks>
/// The route is public: the start token is not a caller's credential but the single-use object the request redeems, and
/// redeeming it is one conditional write in <see cref="OAuthStateService.StartAsync"/> — the same call whatever shell runs it.
/// An authenticator would have to perform that write while authenticating (and audit a browser as a caller), which is the
/// branch-in-the-wrong-place DESIGN warns about. Refusals are logged (event 8404) without the token.
/// </remarks>
public sealed class OAuthStartEndpoints(OAuthStateService states, TimeProvider time, IHostEnvironment? environment = null)
{
    /// <summary>The query parameter holding the start token.</summary>
    public const string TokenParameter = "t";

    /// <summary>Secure cookies (with the <c>__Host-</c> prefix) everywhere but Development, which runs on plain http.</summary>
    public bool SecureCookies { get; } = environment?.IsDevelopment() != true;

    public async Task<IResult> StartAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tokens = request.Request.Query[TokenParameter];
        var result = await states.StartAsync(tokens.Count == 1 ? tokens[0] : null, cancellationToken).ConfigureAwait(false);
        // The start URL carries the token: no page or redirect here may pass it on in a Referer.
        request.Response.Headers["Referrer-Policy"] = "no-referrer";
        if (result.Refusal is { } refusal)
        {
            return Refused(request.Request, refusal);
        }

        OAuthBindingCookie.Append(request.Response, result.BindingKey!, result.BindingValue!, result.ExpiresAt, time.GetUtcNow(), SecureCookies);
        return Results.Redirect(result.AuthorizationUrl!.AbsoluteUri, permanent: false);
    }

    private static IResult Refused(HttpRequest request, OAuthStartRefusal refusal)
    {
        var code = OAuthErrors.For(refusal);
        var (status, title, message) = refusal switch
        {
            OAuthStartRefusal.AlreadyUsed => (StatusCodes.Status410Gone, "Link already used",
                "This sign-in link has been used already. Start the connection again from the application."),
            OAuthStartRefusal.Expired => (StatusCodes.Status410Gone, "Link expired",
                "This sign-in link has expired. Start the connection again from the application."),
            _ => (StatusCodes.Status404NotFound, "Link not found",
                "This sign-in link is not valid. Start the connection again from the application."),
        };

        return WantsHtml(request) ? OAuthPage.Failure(status, title, message, code) : Problems.Create(status, code, title, message);
    }

    // A browser asks for text/html; an API client that asks for JSON (and not HTML) gets a problem document.
    private static bool WantsHtml(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return true;
        }

        var html = accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
        var json = accept.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || a.MediaType.Equals("application/problem+json", StringComparison.OrdinalIgnoreCase));
        return html || !json;
    }
}
