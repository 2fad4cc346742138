using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.Identity.Administration;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Admin;

/// <summary>The admin user operations over <see cref="AdminUserService"/>.</summary>
public sealed class AdminUserEndpoints(AdminUserService users)
{
    public async Task<IResult> ListAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var page = Query.Page(request.Request);
        if (!page.IsSuccess)
        {
            return Problems.From(page.Error);
        }

        var list = await users.ListAsync(request.Request.Query["search"].ToString(), page.Value, cancellationToken).ConfigureAwait(false);
        return list.IsSuccess ? Responses.Page(list.Value, AdminUserResponse.From) : Problems.From(list.Error);
    }

    public async Task<IResult> UnlockAsync(HubRequest request, CancellationToken cancellationToken) =>
        UserOrProblem(await users.UnlockAsync(UserId(request), cancellationToken).ConfigureAwait(false));

    public async Task<IResult> VerifyAsync(HubRequest request, CancellationToken cancellationToken) =>
        UserOrProblem(await users.VerifyAsync(UserId(request), cancellationToken).ConfigureAwait(false));

    public async Task<IResult> LogoutAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var ended = await users.LogoutAsync(UserId(request), cancellationToken).ConfigureAwait(false);
        return ended.IsSuccess ? Responses.Json(new AdminLogoutResponse(ended.Value)) : Problems.From(ended.Error);
    }

    public async Task<IResult> ResetPasswordAsync(HubRequest request, CancellationToken cancellationToken)
    {
        // The token goes to the person (event, mail), never into this answer.
        var issued = await users.SendPasswordResetAsync(UserId(request), cancellationToken).ConfigureAwait(false);
        return issued.IsSuccess ? Results.StatusCode(StatusCodes.Status202Accepted) : Problems.From(issued.Error);
    }

    public async Task<IResult> DeleteAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var userId = UserId(request);
        var deleted = await users.DeleteAsync(userId, cancellationToken).ConfigureAwait(false);
        if (!deleted.IsSuccess)
        {
            return Problems.From(deleted.Error);
        }

        // The outcome record keeps who the account was only as a keyed HMAC of the address (never the address).
        request.Audit.Target = $"user/{userId} email-hmac:{deleted.Value}";
        return Results.NoContent();
    }

    private static string UserId(HubRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Values.Required("userId");
    }

    private static IResult UserOrProblem(Result<Core.Identity.Users.User> result) =>
        result.IsSuccess ? Responses.Json(AdminUserResponse.From(result.Value)) : Problems.From(result.Error);
}
