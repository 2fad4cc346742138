using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.OAuth;
using Integrations.Core.OAuth.Flows;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Primitives;

namespace Integrations.Api.OAuth;

/// <summary>
/// <c>GET /v1/oauth/callback</c>, the redirect URI of every flow. Public (the browser has no API key): the state is the object
/// the request redeems, checked and consumed once by <see cref="OAuthStateService.ConsumeAsync"/> (expiry, <c>iss</c>, browser
/// binding). A provider <c>error</c> is shown, never treated as success; a code is exchanged by <see cref="ConnectFlowService"/>.
/// The browser sees a small page (<see cref="OAuthPage"/>: no script, nothing secret) or a redirect to <c>redirect_after</c>.
/// </summary>
public sealed class OAuthCallbackEndpoints(OAuthStateService states, ConnectFlowService flows, IHostEnvironment? environment = null)
{
    private const string NotConnected = "Not connected";

    /// <summary>Secure (<c>__Host-</c>) binding cookies everywhere but Development, as the start link sets them.</summary>
    public bool SecureCookies { get; } = environment?.IsDevelopment() != true;

    public async Task<IResult> CallbackAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.Request.Query;
        // The callback URL carries the code and state: nothing here may pass them on in a Referer.
        request.Response.Headers["Referrer-Policy"] = "no-referrer";
        var check = await states.ConsumeAsync(Single(query["state"]), Single(query["iss"]), OAuthBindingCookie.Reader(request.Request, SecureCookies), cancellationToken)
            .ConfigureAwait(false);
        if (check.Refusal is { } refusal)
        {
            return OAuthPage.Failure(StatusCodes.Status400BadRequest, NotConnected, RefusalMessage(refusal), OAuthErrors.For(refusal));
        }

        var consumed = check.Consumed!;
        if (Single(query["error"]) is { Length: > 0 } error)
        {
            // RFC 6749 §4.1.2.1: the provider refused (the user said no, or the request was wrong). Shown, encoded; nothing stored.
            return OAuthPage.Failure(StatusCodes.Status400BadRequest, NotConnected, "The provider did not authorize the connection.",
                ConnectFlowErrors.ProviderError, error, Single(query["error_description"]));
        }

        // Provider-side ids some providers put on the callback (GitHub Apps: installation_id), kept with the grant.
        var ids = ProviderAccountIds.CallbackParameters.ToDictionary(name => name, name => Single(query[name]), StringComparer.Ordinal);
        var done = await flows.CompleteAuthorizationAsync(consumed, Single(query["code"]), ids, cancellationToken).ConfigureAwait(false);
        if (!done.IsSuccess)
        {
            return OAuthPage.Failure(done.Error.Kind == ErrorKind.Unavailable ? StatusCodes.Status502BadGateway : StatusCodes.Status400BadRequest,
                NotConnected, done.Error.Message, done.Error.Code);
        }

        return consumed.State.RedirectAfter is { } after ? Results.Redirect(after.AbsoluteUri, permanent: false) : OAuthPage.Success();
    }

    private static string? Single(StringValues values) => values.Count == 1 ? values[0] : null;

    private static string RefusalMessage(OAuthStateRefusal refusal) => refusal switch
    {
        OAuthStateRefusal.Expired => "This sign-in took too long and has expired. Start the connection again from the application.",
        OAuthStateRefusal.AlreadyUsed => "This sign-in has been completed or used already. Start the connection again from the application.",
        OAuthStateRefusal.IssuerMismatch or OAuthStateRefusal.IssuerMissing =>
            "The answer did not come from the provider the sign-in was sent to. Start the connection again from the application.",
        OAuthStateRefusal.BindingMissing or OAuthStateRefusal.BindingMismatch =>
            "This sign-in was started in another browser. Finish it in the browser that opened the sign-in link.",
        _ => "This sign-in is not known to the hub. Start the connection again from the application.",
    };
}
