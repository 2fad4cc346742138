using System.Globalization;
using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity.Recovery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Identity;

/// <summary>
/// The recovery routes (anonymous: the pipeline limits them per source address and audits them). Each names the user as the
/// audit target when known (<c>user/{id}</c>) — never the token, the password or the address.
/// </summary>
public sealed class RecoveryEndpoints(RecoveryService recovery, IOptions<RecoveryOptions> options)
{
    /// <summary><c>GET /v1/auth/verify?token=&amp;type=signup</c>.</summary>
    public async Task<IResult> VerifyAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var type = request.Request.Query["type"].ToString();
        Result<Core.Identity.Users.User> outcome = type.Length > 0 && type != "signup"
            ? HubError.Invalid(RecoveryErrors.InvalidVerificationType, "type must be signup.", "type")
            : await recovery.VerifyEmailAsync(request.Request.Query["token"].ToString(), cancellationToken).ConfigureAwait(false);
        var target = outcome.IsSuccess ? "user/" + outcome.Value.Id : null;
        IResult result;
        if (options.Value.CallbackRedirectUrl is { } redirect)
        {
            // The browser lands on the platform's page, which shows the outcome; the code says why, never the token.
            var query = outcome.IsSuccess ? "verified=true" : "error=" + Uri.EscapeDataString(outcome.Error.Code);
            result = Results.Redirect(redirect + (redirect.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query);
        }
        else
        {
            result = outcome.IsSuccess ? Responses.Json(new EmailVerifiedResponse(true, outcome.Value.Id)) : Problems.From(outcome.Error);
        }

        request.Audit.Target = target;
        return result;
    }

    /// <summary><c>POST /v1/auth/password-reset</c> {email} → 202, always the same.</summary>
    public async Task<IResult> RequestResetAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await JsonBody.ReadAsync<PasswordResetRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        await recovery.RequestPasswordResetAsync(body.Value.Email, cancellationToken).ConfigureAwait(false);
        // No target: naming the user would tell an audit reader that the address exists.
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    /// <summary><c>POST /v1/auth/password-reset/confirm</c> {token, new_password} → 204.</summary>
    public async Task<IResult> ConfirmResetAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await JsonBody.ReadAsync<PasswordResetConfirmRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var outcome = await recovery.ConfirmPasswordResetAsync(body.Value.Token, body.Value.NewPassword, cancellationToken).ConfigureAwait(false);
        var result = outcome.IsSuccess ? Results.NoContent() : Problems.From(outcome.Error);
        request.Audit.Target = outcome.IsSuccess ? "user/" + outcome.Value.Id : null;
        return result;
    }
}
