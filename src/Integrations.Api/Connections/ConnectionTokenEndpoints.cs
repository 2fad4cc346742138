using System.Globalization;
using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.OAuth.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Integrations.Api.Connections;

/// <summary>
/// The token routes of a connection. The token route takes the connection and its token from this instance's
/// <see cref="ConnectionCache"/> when it holds them (its status decides whether a token may be handed out: a disable or a
/// revocation on this instance empties the entry, so it takes effect on the next request; made on another instance, within
/// <see cref="ConnectionCacheOptions.CacheDuration"/>), else reads them; the pipeline adds the audit record. Revocation goes through the
/// token service too, which records each connection's status change.
/// </summary>
public sealed partial class ConnectionTokenEndpoints(ConnectionService connections, IConnectionTokenService tokens, ILogger<ConnectionTokenEndpoints> logger)
{
    /// <summary>How many connections one end-user revocation revokes at most; the rest are left for the next call.</summary>
    public const int MaxRevocationsPerRequest = 25;

    /// <summary>How many of an end user's connections one request looks at (pages of <see cref="PageRequest.MaxPerPage"/>).</summary>
    private const int MaxListed = 1000;

    /// <summary>Revocations in flight at once: each is a call to the provider; a few in parallel bound the request's time without flooding it.</summary>
    private const int RevocationParallelism = 4;

    public async Task<IResult> TokenAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<ConnectionTokenRequest>(request.Request, optional: true).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var connection = await connections.GetForUseAsync(request.Project, Id(request), cancellationToken).ConfigureAwait(false);
        if (!connection.IsSuccess)
        {
            return Problems.From(connection.Error);
        }

        var token = await tokens.GetAsync(connection.Value, body.Value.ForceRefresh ?? false, cancellationToken).ConfigureAwait(false);
        if (!token.IsSuccess)
        {
            return Failure(request, token.Error);
        }

        var t = token.Value;
        return Responses.Json(new ConnectionTokenResponse(t.Value, t.TokenType, t.ExpiresAt, string.Join(' ', t.Scopes)));
    }

    public async Task<IResult> RevokeAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var connection = await connections.GetAsync(request.Project, Id(request), cancellationToken).ConfigureAwait(false);
        if (!connection.IsSuccess)
        {
            return Problems.From(connection.Error);
        }

        if (!ConnectionTypes.IsOAuth(connection.Value.Type))
        {
            return Problems.From(HubError.Conflict(TokenErrors.NotOAuth,
                $"The connection is of type {ConnectionTypes.NameOf(connection.Value.Type)}: it has no OAuth tokens to revoke."));
        }

        var outcome = await tokens.RevokeAsync(connection.Value, request.Caller.Id, cancellationToken).ConfigureAwait(false);
        // The status as stored now (the token service moved it to revoked, unless that write failed).
        var after = await connections.GetAsync(request.Project, connection.Value.Id, cancellationToken).ConfigureAwait(false);
        var status = after.IsSuccess ? after.Value.State.Status : connection.Value.State.Status;
        return Responses.Json(new RevokedConnectionResponse(
            connection.Value.Id, connection.Value.Name, outcome.Result, outcome.ProviderConfirmed, outcome.Detail, ConnectionStatuses.NameOf(status)));
    }

    /// <summary>
    /// Revokes every OAuth connection of one end user (a user who left the platform), bounded per request: at most
    /// <see cref="MaxRevocationsPerRequest"/> revocations, <see cref="RevocationParallelism"/> at a time. Connections already
    /// revoked are skipped, so calling again until <c>complete</c> finishes a large set.
    /// </summary>
    public async Task<IResult> RevokeEndUserAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var endUserId = request.Request.Query["end_user_id"].ToString();
        if (!ConnectionRules.IsValidEndUserId(endUserId))
        {
            return Problems.From(HubError.Invalid(ConnectionErrors.InvalidEndUser,
                $"end_user_id is required: 1 to {ConnectionRules.MaxEndUserIdLength} printable characters.", "end_user_id"));
        }

        if (!await request.BeginChangeAsync("end-user/" + endUserId).ConfigureAwait(false))
        {
            return ApiProblems.AuditUnavailable();
        }

        var listed = new List<Connection>();
        for (var page = 1; listed.Count < MaxListed; page++)
        {
            var result = await connections.ListAsync(request.Project, new ConnectionQuery(new PageRequest(page, PageRequest.MaxPerPage), endUserId), cancellationToken)
                .ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                return Problems.From(result.Error);
            }

            listed.AddRange(result.Value.Items);
            if (result.Value.Items.Count < PageRequest.MaxPerPage || page >= result.Value.TotalPages)
            {
                break;
            }
        }

        var toRevoke = listed.Where(c => ConnectionTypes.IsOAuth(c.Type) && c.State.Status != ConnectionStatus.Revoked).Take(MaxRevocationsPerRequest).ToHashSet();
        var outcomes = new Dictionary<string, EndUserConnectionOutcome>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(toRevoke, new ParallelOptions { MaxDegreeOfParallelism = RevocationParallelism, CancellationToken = cancellationToken },
            async (connection, ct) =>
            {
                var outcome = await RevokeOneAsync(connection, request.Caller.Id, ct).ConfigureAwait(false);
                lock (outcomes)
                {
                    outcomes[connection.Id] = outcome;
                }
            }).ConfigureAwait(false);

        var items = listed.Select(c => outcomes.TryGetValue(c.Id, out var done) ? done : new EndUserConnectionOutcome(c.Id, c.Name,
            !ConnectionTypes.IsOAuth(c.Type) ? "not_oauth" : c.State.Status == ConnectionStatus.Revoked ? "already_revoked" : "not_attempted", null, false, null)).ToList();
        var complete = items.All(i => i.Outcome is not ("not_attempted" or "error")) && listed.Count < MaxListed;
        return Responses.Json(new EndUserRevocationResponse(endUserId, items.Count(i => i.Outcome == "revoked"), complete, items));
    }

    private async Task<EndUserConnectionOutcome> RevokeOneAsync(Connection connection, string actor, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await tokens.RevokeAsync(connection, actor, cancellationToken).ConfigureAwait(false);
            return new EndUserConnectionOutcome(connection.Id, connection.Name, "revoked", outcome.Result, outcome.ProviderConfirmed, outcome.Detail);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // One connection's storage failure must not hide what happened to the others; the caller retries the rest.
            Log.RevocationFailed(logger, connection.Id, ex.GetType().Name);
            return new EndUserConnectionOutcome(connection.Id, connection.Name, "error", null, false, "The revocation could not be completed: retry.");
        }
    }

    /// <summary>The token service's refusal as a problem; a 503 says when to retry (the refresh wait is bounded by seconds).</summary>
    private static IResult Failure(HubRequest request, HubError error)
    {
        if (error.Kind == ErrorKind.Unavailable)
        {
            request.Response.Headers.RetryAfter = error.Code == TokenErrors.RefreshPending ? "1" : "5";
        }

        return Problems.From(error);
    }

    private static string Id(HubRequest request) => request.Values.Required(ConnectionRoutes.IdParameter);

    private static partial class Log
    {
        [LoggerMessage(EventId = 5461, Level = LogLevel.Warning, Message = "Revoking connection {ConnectionId} of an end user failed ({ExceptionType}).")]
        public static partial void RevocationFailed(ILogger logger, string connectionId, string exceptionType);
    }
}
