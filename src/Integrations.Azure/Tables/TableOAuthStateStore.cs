using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Integrations.Core.Integrity;
using Integrations.Core.OAuth.Flows;

namespace Integrations.Azure.Tables;

/// <summary>
/// OAuth states in their own table, two rows per flow, each in a partition of its own (so no partition grows hot):
/// <list type="bullet">
/// <item><c>PartitionKey</c> = the state's keyed lookup hash, <c>RowKey</c> <c>state</c>: the state (the callback's point read,
/// and the row every conditional write — start link opened, state consumed — goes to, with its ETag).</item>
/// <item><c>PartitionKey</c> = the start token's keyed lookup hash, <c>RowKey</c> <c>start</c>: only the state's hash (the start
/// route's point read). Its <c>ExpiresAt</c> is the state's, so the cleanup removes both together.</item>
/// </list>
/// The state row carries a MAC over every field (<see cref="AuthorityRows.OAuthStateKind"/>, <c>Format</c> 2), its hash taken
/// from the partition key: a row edited, copied under another hash, or written by someone without the authority key is
/// refused (read as absent) and reported. The cleanup's query on <c>ExpiresAt</c> scans the table, which holds only minutes of
/// flows.
/// </summary>
public sealed class TableOAuthStateStore(HubTables tables, AuthorityRows authority) : IOAuthStateStore
{
    internal const string StateRow = "state";
    internal const string StartRow = "start";
    private const int NotFound = 404;

    private TableClient Table => tables.OAuthStates;

    public async Task<WriteOutcome> TryCreateAsync(OAuthState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var mac = await authority.SignAsync(state, cancellationToken).ConfigureAwait(false);
        var outcome = await TableWrites.TryAsync(() => Table.AddEntityAsync(ToEntity(state, mac), cancellationToken)).ConfigureAwait(false);
        if (outcome != WriteOutcome.Written)
        {
            return outcome;
        }

        // The start row only points at the state; without it the start link reads as unknown and the state simply expires.
        return await TableWrites.TryAsync(() => Table.AddEntityAsync(
            new TableEntity(state.StartLinkHash, StartRow) { ["StateHash"] = state.StateHash, ["ExpiresAt"] = state.ExpiresAt }, cancellationToken)).ConfigureAwait(false);
    }

    public async Task<OAuthState?> GetAsync(string stateHash, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, stateHash, StateRow, null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : await VerifiedAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    public async Task<OAuthState?> GetByStartLinkAsync(string startLinkHash, CancellationToken cancellationToken = default)
    {
        var start = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, startLinkHash, StartRow, ["StateHash"], cancellationToken).ConfigureAwait(false);
        if (start?.GetString("StateHash") is not { } stateHash)
        {
            return null;
        }

        // The pointer is not MAC'd; the state is, and it names its start link: a pointer to another state is caught there.
        var state = await GetAsync(stateHash, cancellationToken).ConfigureAwait(false);
        return state is not null && string.Equals(state.StartLinkHash, startLinkHash, StringComparison.Ordinal) ? state : null;
    }

    public async Task<WriteOutcome> TryUpdateAsync(OAuthState updated, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updated);
        var etag = updated.ETag ?? throw new ArgumentException("An update needs the ETag of the state it replaces.", nameof(updated));
        var mac = await authority.SignAsync(updated, cancellationToken).ConfigureAwait(false);
        return await TableWrites.TryAsync(() => Table.UpdateEntityAsync(ToEntity(updated, mac), new ETag(etag), TableUpdateMode.Replace, cancellationToken))
            .ConfigureAwait(false);
    }

    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var removed = 0;
        var filter = TableClient.CreateQueryFilter($"ExpiresAt lt {now}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            // One at a time: every row is in a partition of its own, so there is nothing to batch.
            var outcome = await TableWrites.TryDeleteAsync(Table, entity.PartitionKey, entity.RowKey, entity.ETag, cancellationToken).ConfigureAwait(false);
            if (outcome == WriteOutcome.Written && entity.RowKey == StateRow)
            {
                removed++;
            }
        }

        return removed;
    }

    private static TableEntity ToEntity(OAuthState state, string mac) => new(state.StateHash, StateRow)
    {
        ["OrganizationId"] = state.OrganizationId,
        ["ProjectId"] = state.ProjectId,
        ["ConnectionId"] = state.ConnectionId,
        ["ProviderId"] = state.ProviderId,
        ["Issuer"] = state.Issuer,
        ["IssRequired"] = state.IssParameterRequired,
        ["ActorId"] = state.ActorId,
        ["Scopes"] = string.Join(' ', state.Scopes),
        ["RedirectAfter"] = state.RedirectAfter?.AbsoluteUri,
        ["Nonce"] = state.Nonce,
        ["SealedVerifier"] = state.SealedCodeVerifier?.Bytes,
        ["SealedUrl"] = state.SealedAuthorizationUrl.Bytes,
        ["CreatedAt"] = state.CreatedAt,
        ["ExpiresAt"] = state.ExpiresAt,
        ["StartLinkHash"] = state.StartLinkHash,
        ["StartLinkExpiresAt"] = state.StartLinkExpiresAt,
        ["StartLinkUsedAt"] = state.StartLinkUsedAt,
        ["BindingHash"] = state.BindingHash,
        ["RequireBinding"] = state.RequireBrowserBinding,
        ["ConsumedAt"] = state.ConsumedAt,
        ["Mac"] = mac,
        ["Format"] = AuthorityRows.RowFormat,
    };

    /// <summary>The state if the row parses and its MAC covers it under its own partition key; otherwise null, reported.</summary>
    private async Task<OAuthState?> VerifiedAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        OAuthState? state;
        try
        {
            state = FromEntity(entity);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or SecretIntegrityException or UriFormatException)
        {
            state = null; // A column missing or of the wrong type: not a row this store wrote.
        }

        if (state is not null && entity.GetInt32("Format") == AuthorityRows.RowFormat
            && await authority.VerifyAsync(state, entity.GetString("Mac"), cancellationToken).ConfigureAwait(false))
        {
            return state;
        }

        await authority.ReportAsync(AuthorityRows.OAuthStateKind, entity.PartitionKey, state is null ? "unreadable row" : "MAC mismatch", NotFound, cancellationToken)
            .ConfigureAwait(false);
        return null;
    }

    private static OAuthState? FromEntity(TableEntity e)
    {
        if (e.GetString("OrganizationId") is not { } org || e.GetString("ProjectId") is not { } project || e.GetString("ConnectionId") is not { } connection
            || e.GetString("ProviderId") is not { } provider || e.GetString("ActorId") is not { } actor || e.GetString("Nonce") is not { } nonce
            || e.GetBinary("SealedUrl") is not { } sealedUrl || e.GetDateTimeOffset("CreatedAt") is not { } created
            || e.GetDateTimeOffset("ExpiresAt") is not { } expires || e.GetString("StartLinkHash") is not { } startHash
            || e.GetDateTimeOffset("StartLinkExpiresAt") is not { } startExpires)
        {
            return null;
        }

        var scopes = e.GetString("Scopes");
        return new OAuthState
        {
            StateHash = e.PartitionKey,
            OrganizationId = org,
            ProjectId = project,
            ConnectionId = connection,
            ProviderId = provider,
            Issuer = e.GetString("Issuer"),
            IssParameterRequired = e.GetBoolean("IssRequired") ?? false,
            ActorId = actor,
            Scopes = string.IsNullOrEmpty(scopes) ? [] : scopes.Split(' '),
            RedirectAfter = e.GetString("RedirectAfter") is { } redirect ? new Uri(redirect, UriKind.Absolute) : null,
            Nonce = nonce,
            SealedCodeVerifier = e.GetBinary("SealedVerifier") is { } verifier ? SealedSecret.Parse(verifier) : null,
            SealedAuthorizationUrl = SealedSecret.Parse(sealedUrl),
            CreatedAt = created,
            ExpiresAt = expires,
            StartLinkHash = startHash,
            StartLinkExpiresAt = startExpires,
            StartLinkUsedAt = e.GetDateTimeOffset("StartLinkUsedAt"),
            BindingHash = e.GetString("BindingHash"),
            RequireBrowserBinding = e.GetBoolean("RequireBinding") ?? false,
            ConsumedAt = e.GetDateTimeOffset("ConsumedAt"),
            ETag = e.ETag.ToString(),
        };
    }
}
