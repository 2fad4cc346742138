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
/// The recovery routes. Each is limited per source address first (429 <c>recovery-rate-limited</c>), then audited as an
/// anonymous platform record naming the user when known (<c>user/{id}</c>) — never the token, the password or the address.
/// </summary>
public sealed class RecoveryEndpoints(
    RecoveryService recovery, RecoveryRateLimiter limiter, RateLimitStep rateLimits, AuditStep audit, IOptions<RecoveryOptions> options)
{
    /// <summary><c>GET /v1/auth/verify?token=&amp;type=signup</c>.</summary>
    public async Task<IResult> VerifyAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Limited(request, out var source) is { } limited)
        {
            return limited;
        }

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

        await AuditAsync(request, AuditActions.AuthVerifyEmail, source, target, outcome.IsSuccess ? 200 : AuditStep.StatusOf(Problems.From(outcome.Error)))
            .ConfigureAwait(false);
        return result;
    }

    /// <summary><c>POST /v1/auth/password-reset</c> {email} → 202, always the same.</summary>
    public async Task<IResult> RequestResetAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Limited(request, out var source) is { } limited)
        {
            return limited;
        }

        var body = await JsonBody.ReadAsync<PasswordResetRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        await recovery.RequestPasswordResetAsync(body.Value.Email, cancellationToken).ConfigureAwait(false);
        // No target: naming the user would tell an audit reader (and a timing observer of the write) that the address exists.
        await AuditAsync(request, AuditActions.AuthPasswordResetRequest, source, null, StatusCodes.Status202Accepted).ConfigureAwait(false);
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    /// <summary><c>POST /v1/auth/password-reset/confirm</c> {token, new_password} → 204.</summary>
    public async Task<IResult> ConfirmResetAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Limited(request, out var source) is { } limited)
        {
            return limited;
        }

        var body = await JsonBody.ReadAsync<PasswordResetConfirmRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var outcome = await recovery.ConfirmPasswordResetAsync(body.Value.Token, body.Value.NewPassword, cancellationToken).ConfigureAwait(false);
        var result = outcome.IsSuccess ? Results.NoContent() : Problems.From(outcome.Error);
        await AuditAsync(request, AuditActions.AuthPasswordResetConfirm, source, outcome.IsSuccess ? "user/" + outcome.Value.Id : null, AuditStep.StatusOf(result))
            .ConfigureAwait(false);
        return result;
    }

    private IResult? Limited(HubRequest request, out string source)
    {
        source = rateLimits.SourceOf(request.Http);
        if (limiter.TryAcquire(source, out var wait))
        {
            return null;
        }

        request.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Problems.Create(StatusCodes.Status429TooManyRequests, RecoveryErrors.RecoveryRateLimited, "Too Many Requests", "Too many requests from this address. Try again later.");
    }

    private Task<bool> AuditAsync(HubRequest request, string action, string source, string? target, int status) =>
        audit.WriteAsync(request.Http, action, null, new RequestAudit { SourceAddress = source, Target = target }, status);
}
