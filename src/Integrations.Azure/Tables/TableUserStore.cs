using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Identity.Users;
using Integrations.Core.Integrity;

namespace Integrations.Azure.Tables;

/// <summary>
/// Users, their email claims and their sessions, in the <c>users</c> table:
/// <list type="bullet">
/// <item>PartitionKey = user id, RowKey <c>user</c>: the user (MAC'd, <c>user/v1</c>) — a point read by id;</item>
/// <item>PartitionKey = user id, RowKey <c>s:{sessionId}</c>: a session (MAC'd, <c>session/v1</c>) — a point read by the
/// access token's <c>sub</c> and <c>sid</c>; a user's sessions are one range read, and the user row and all their sessions
/// change in one entity-group transaction (password change, logout everywhere);</item>
/// <item>PartitionKey = user id, RowKey <c>m:{organizationId}</c>: a membership's authority row (MAC'd, <c>membership/v1</c>),
/// written by <see cref="TableMembershipStore"/> (<see cref="MembershipRows"/>) and kept here so that the refresh's one query
/// of the partition returns the user, the session and the memberships together;</item>
/// <item>PartitionKey = <c>e:{email lookup hash}</c>, RowKey <c>email</c>: the claim of an address (→ user id, MAC'd,
/// <c>email-claim/v1</c>) — login's point read, and the one-account-per-address guarantee: sign-up inserts it before the
/// user row, and an insert that finds it answers "taken". The hash is a MAC under the authority key of the normalised
/// address, so no partition key shows an address.</item>
/// </list>
/// Ids are read from the keys (the user id from the partition, the session id from the row key) and covered by the MACs,
/// so a row copied under other keys does not verify. A row that fails is refused as absent and reported (event 1201 and
/// a platform audit record).
/// </summary>
public sealed class TableUserStore(HubTables tables, AuthorityRows authority) : IUserStore
{
    internal const string UserRow = "user";
    internal const string EmailRow = "email";
    internal const string SessionRowPrefix = "s:";
    internal const string EmailPartitionPrefix = "e:";
    private const int Unauthorized = 401;
    private const int TransactionLimit = 100;

    // A claim whose user row never appeared (the process died between the two inserts) is taken over after this long;
    // younger, it may be a sign-up still in flight.
    private static readonly TimeSpan OrphanClaimAge = TimeSpan.FromMinutes(1);

    private TableClient Table => tables.Users;

    public async Task<WriteOutcome> AddAsync(User user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var emailHash = await authority.EmailLookupHashAsync(user.EmailLookupKey, cancellationToken).ConfigureAwait(false);
        var claim = await ClaimEntityAsync(emailHash, user.Id, user.CreatedAt, cancellationToken).ConfigureAwait(false);
        try
        {
            await Table.AddEntityAsync(claim, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            if (!await TryTakeOverAsync(claim, user.CreatedAt, cancellationToken).ConfigureAwait(false))
            {
                return WriteOutcome.Conflict;
            }
        }

        try
        {
            await Table.AddEntityAsync(await UserEntityAsync(user, cancellationToken).ConfigureAwait(false), CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            await TableWrites.TryDeleteAsync(Table, claim.PartitionKey, EmailRow, ETag.All, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return WriteOutcome.Written;
    }

    public async Task<User?> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, userId, UserRow, null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : await VerifiedUserAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    public async Task<User?> FindByEmailAsync(string emailLookupKey, CancellationToken cancellationToken = default)
    {
        var emailHash = await authority.EmailLookupHashAsync(emailLookupKey, cancellationToken).ConfigureAwait(false);
        var claim = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, EmailPartitionPrefix + emailHash, EmailRow, null, cancellationToken).ConfigureAwait(false);
        if (claim is null || await VerifiedClaimAsync(claim, cancellationToken).ConfigureAwait(false) is not { } userId)
        {
            return null;
        }

        var user = await GetAsync(userId, cancellationToken).ConfigureAwait(false);
        if (user is not null && !string.Equals(user.EmailLookupKey, emailLookupKey, StringComparison.Ordinal))
        {
            // Both rows verify, but the claim's user has another address: an old claim put back, never a login.
            await authority.ReportAsync(AuthorityRows.EmailClaimKind, userId, "claim names a user with another address", Unauthorized, cancellationToken).ConfigureAwait(false);
            return null;
        }

        return user;
    }

    public async Task<WriteOutcome> UpdateAsync(User user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var etag = RequireETag(user.ETag);
        var entity = await UserEntityAsync(user, cancellationToken).ConfigureAwait(false);
        return await TableWrites.TryAsync(() => Table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken)).ConfigureAwait(false);
    }

    public async Task AddSessionAsync(Session session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        await Table.AddEntityAsync(await SessionEntityAsync(session, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    public async Task<Session?> GetSessionAsync(string userId, string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, userId, SessionRowPrefix + sessionId, null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : await VerifiedSessionAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    public async Task<(User? User, Session? Session, IReadOnlyList<Membership> Memberships)> GetWithSessionAsync(
        string userId, string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        // One query of the partition for the user row, the session row and the membership rows (TableMembershipStore keeps
        // their authority rows here for this): a refresh is storage-bound, and this is its only read.
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {userId} and (RowKey eq {UserRow} or RowKey eq {SessionRowPrefix + sessionId} or (RowKey ge {MembershipRows.RowPrefix} and RowKey lt {MembershipRows.RowRangeEnd}))");
        User? user = null;
        Session? session = null;
        var memberships = new List<Membership>();
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey == UserRow)
            {
                user = await VerifiedUserAsync(row, cancellationToken).ConfigureAwait(false);
            }
            else if (row.RowKey.StartsWith(SessionRowPrefix, StringComparison.Ordinal))
            {
                session = await VerifiedSessionAsync(row, cancellationToken).ConfigureAwait(false);
            }
            else if (await MembershipRows.VerifiedAsync(authority, row, cancellationToken).ConfigureAwait(false) is { } membership)
            {
                memberships.Add(membership);
            }
        }

        return (user, session, memberships);
    }

    public async Task<IReadOnlyList<Session>> ListSessionsAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var sessions = new List<Session>();
        // "s:" ≤ RowKey < "s;" (';' follows ':'): the session rows only.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {userId} and RowKey ge {SessionRowPrefix} and RowKey lt {"s;"}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (await VerifiedSessionAsync(entity, cancellationToken).ConfigureAwait(false) is { } session)
            {
                sessions.Add(session);
            }
        }

        return [.. sessions.OrderBy(s => s.CreatedAt)];
    }

    public async Task<WriteOutcome> UpdateSessionAsync(Session session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var etag = RequireETag(session.ETag);
        var entity = await SessionEntityAsync(session, cancellationToken).ConfigureAwait(false);
        return await TableWrites.TryAsync(() => Table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken)).ConfigureAwait(false);
    }

    public async Task<WriteOutcome> UpdateUserAndSessionsAsync(User? user, string userId, IReadOnlyList<Session> sessions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var actions = new List<TableTransactionAction>(sessions.Count + 1);
        foreach (var session in sessions)
        {
            if (!string.Equals(session.UserId, userId, StringComparison.Ordinal))
            {
                throw new ArgumentException("Every session must be the user's.", nameof(sessions));
            }

            actions.Add(new(TableTransactionActionType.UpdateReplace, await SessionEntityAsync(session, cancellationToken).ConfigureAwait(false), RequireETag(session.ETag)));
        }

        if (user is not null)
        {
            // Last: when the work needs more than one transaction, the user row (and its new security stamp) is written once
            // every session has ended, and a retry after a partial failure starts from the same user row.
            actions.Add(new(TableTransactionActionType.UpdateReplace, await UserEntityAsync(user, cancellationToken).ConfigureAwait(false), RequireETag(user.ETag)));
        }

        foreach (var chunk in actions.Chunk(TransactionLimit))
        {
            var outcome = await TableWrites.TryTransactionAsync(Table, chunk, cancellationToken).ConfigureAwait(false);
            if (outcome != WriteOutcome.Written)
            {
                return outcome == WriteOutcome.NotFound ? WriteOutcome.Conflict : outcome;
            }
        }

        return WriteOutcome.Written;
    }

    public async Task<PagedList<User>> ListAsync(string? emailPrefix, PageRequest page, CancellationToken cancellationToken = default)
    {
        // A scan of the user rows (one per partition): Azure Tables has no secondary index, and the claim rows are keyed by a
        // MAC of the address, which cannot be range-read by prefix. The prefix is filtered by the service on EmailLookupKey
        // (lower-cased, as stored). Cost grows with the number of users: fine for an admin's search over tens of thousands;
        // beyond that an index table keyed by address would be needed (not built).
        var filter = emailPrefix is null
            ? TableClient.CreateQueryFilter($"RowKey eq {UserRow}")
            : TableClient.CreateQueryFilter($"RowKey eq {UserRow} and EmailLookupKey ge {emailPrefix} and EmailLookupKey lt {emailPrefix + "\uffff"}");
        var matches = new List<User>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (await VerifiedUserAsync(entity, cancellationToken).ConfigureAwait(false) is { } user)
            {
                matches.Add(user);
            }
        }

        var ordered = matches.OrderBy(u => u.EmailLookupKey, StringComparer.Ordinal).ThenBy(u => u.Id, StringComparer.Ordinal).ToList();
        var items = page.Skip >= ordered.Count ? [] : ordered.Skip((int)page.Skip).Take(page.PerPage).ToList();
        return new PagedList<User>(items, page, ordered.Count);
    }

    public async Task<bool> DeleteAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, userId, UserRow, null, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return false;
        }

        var lookupKey = Read(() => entity.GetString("EmailLookupKey"));
        // The partition's other rows first (sessions, social link rows, membership authority rows), the user row, then the claim:
        // the address is free again only once the account is gone.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {userId}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey != UserRow)
            {
                await TableWrites.TryDeleteAsync(Table, userId, row.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
            }
        }

        await TableWrites.TryDeleteAsync(Table, userId, UserRow, ETag.All, cancellationToken).ConfigureAwait(false);
        if (lookupKey is not null)
        {
            var emailHash = await authority.EmailLookupHashAsync(lookupKey, cancellationToken).ConfigureAwait(false);
            var claim = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, EmailPartitionPrefix + emailHash, EmailRow, null, cancellationToken).ConfigureAwait(false);
            // Only the deleted user's claim: an address another account has claimed meanwhile stays theirs.
            if (claim is not null && string.Equals(Read(() => claim.GetString("UserId")), userId, StringComparison.Ordinal))
            {
                await TableWrites.TryDeleteAsync(Table, claim.PartitionKey, EmailRow, claim.ETag, cancellationToken).ConfigureAwait(false);
            }
        }

        return true;
    }

    public async Task<int> DeleteEndedSessionsAsync(DateTimeOffset endedBefore, CancellationToken cancellationToken = default)
    {
        // A cross-partition scan of the session rows ("s:" ≤ RowKey < "s;") that ended before the cutoff. Each delete is
        // conditional on the ETag read: a session refreshed since (its expiry moved on) is no longer ended and stays.
        var count = 0;
        var filter = TableClient.CreateQueryFilter(
            $"RowKey ge {SessionRowPrefix} and RowKey lt {"s;"} and (ExpiresAt lt {endedBefore} or RevokedAt lt {endedBefore})");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (await TableWrites.TryDeleteAsync(Table, row.PartitionKey, row.RowKey, row.ETag, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Takes over a claim that grants nothing: one that fails verification, or whose user never appeared. False when the address is taken.</summary>
    private async Task<bool> TryTakeOverAsync(TableEntity claim, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, claim.PartitionKey, EmailRow, null, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            // Removed meanwhile (an orphan cleaned up): claim it now, once.
            return await TableWrites.TryAsync(() => Table.AddEntityAsync(claim, cancellationToken)).ConfigureAwait(false) == WriteOutcome.Written;
        }

        if (await VerifiedClaimAsync(existing, cancellationToken).ConfigureAwait(false) is { } holder)
        {
            var claimedAt = existing.GetDateTimeOffset("ClaimedAt") ?? now;
            if (now - claimedAt < OrphanClaimAge || await GetAsync(holder, cancellationToken).ConfigureAwait(false) is not null)
            {
                return false;
            }
        }

        return await TableWrites.TryAsync(() => Table.UpdateEntityAsync(claim, existing.ETag, TableUpdateMode.Replace, cancellationToken)).ConfigureAwait(false)
            == WriteOutcome.Written;
    }

    private async Task<TableEntity> ClaimEntityAsync(string emailHash, string userId, DateTimeOffset claimedAt, CancellationToken cancellationToken) =>
        new(EmailPartitionPrefix + emailHash, EmailRow)
        {
            ["UserId"] = userId,
            ["ClaimedAt"] = claimedAt,
            ["Mac"] = await authority.SignEmailClaimAsync(emailHash, userId, claimedAt, cancellationToken).ConfigureAwait(false),
            ["Format"] = AuthorityRows.RowFormat,
        };

    private async Task<TableEntity> UserEntityAsync(User user, CancellationToken cancellationToken) => new(user.Id, UserRow)
    {
        ["Email"] = user.Email,
        ["EmailLookupKey"] = user.EmailLookupKey,
        ["PasswordHash"] = user.PasswordHash,
        ["EmailVerified"] = user.EmailVerified,
        ["DisplayName"] = user.DisplayName,
        ["CreatedAt"] = user.CreatedAt,
        ["UpdatedAt"] = user.UpdatedAt,
        ["PasswordChangedAt"] = user.PasswordChangedAt,
        ["SecurityStamp"] = user.SecurityStamp,
        ["Mac"] = await authority.SignAsync(user, cancellationToken).ConfigureAwait(false),
        ["Format"] = AuthorityRows.RowFormat,
    };

    private async Task<TableEntity> SessionEntityAsync(Session session, CancellationToken cancellationToken) => new(session.UserId, SessionRowPrefix + session.Id)
    {
        ["OrganizationId"] = session.OrganizationId,
        ["SecurityStamp"] = session.SecurityStamp,
        ["Source"] = session.Source,
        ["CreatedAt"] = session.CreatedAt,
        ["LastRefreshedAt"] = session.LastRefreshedAt,
        ["ExpiresAt"] = session.ExpiresAt,
        ["Generation"] = session.Generation,
        ["CurrentTokenHash"] = session.CurrentTokenHash,
        ["PreviousTokenHash"] = session.PreviousTokenHash,
        ["RotatedAt"] = session.RotatedAt,
        ["SealedGrace"] = session.SealedGrace,
        ["RevokedAt"] = session.RevokedAt,
        ["RevokedReason"] = session.RevokedReason,
        ["Mac"] = await authority.SignAsync(session, cancellationToken).ConfigureAwait(false),
        ["Format"] = AuthorityRows.RowFormat,
    };

    private async Task<string?> VerifiedClaimAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var userId = Read(() => entity.GetString("UserId"));
        var claimedAt = Read(() => entity.GetDateTimeOffset("ClaimedAt"));
        var emailHash = entity.PartitionKey.StartsWith(EmailPartitionPrefix, StringComparison.Ordinal) ? entity.PartitionKey[EmailPartitionPrefix.Length..] : null;
        var reason = (userId, claimedAt, emailHash) switch
        {
            (null, _, _) or (_, null, _) or (_, _, null) => "unreadable row",
            _ when AuthorityRowColumns.MacOf(entity) is null => "no MAC",
            _ when !await authority.VerifyEmailClaimAsync(emailHash!, userId!, claimedAt!.Value, AuthorityRowColumns.MacOf(entity), cancellationToken).ConfigureAwait(false) => "MAC mismatch",
            _ => null,
        };
        if (reason is null)
        {
            return userId;
        }

        await authority.ReportAsync(AuthorityRows.EmailClaimKind, userId, reason, Unauthorized, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async Task<User?> VerifiedUserAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var user = entity.RowKey == UserRow ? Read(() => ToUser(entity)) : null;
        var mac = AuthorityRowColumns.MacOf(entity);
        var reason = user switch
        {
            null => "unreadable row",
            _ when mac is null => "no MAC",
            _ when !await authority.VerifyAsync(user, mac, cancellationToken).ConfigureAwait(false) => "MAC mismatch",
            _ => null,
        };
        if (reason is null)
        {
            return user;
        }

        await authority.ReportAsync(AuthorityRows.UserKind, entity.PartitionKey, reason, Unauthorized, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async Task<Session?> VerifiedSessionAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var session = entity.RowKey.StartsWith(SessionRowPrefix, StringComparison.Ordinal) ? Read(() => ToSession(entity)) : null;
        var mac = AuthorityRowColumns.MacOf(entity);
        var reason = session switch
        {
            null => "unreadable row",
            _ when mac is null => "no MAC",
            _ when !await authority.VerifyAsync(session, mac, cancellationToken).ConfigureAwait(false) => "MAC mismatch",
            _ => null,
        };
        if (reason is null)
        {
            return session;
        }

        await authority.ReportAsync(AuthorityRows.SessionKind, entity.RowKey, reason, Unauthorized, cancellationToken).ConfigureAwait(false);
        return null;
    }

    // The user id is the partition key: a row copied under another user's id carries the wrong id into the MAC.
    private static User? ToUser(TableEntity entity)
    {
        if (entity.GetString("Email") is not { } email || entity.GetString("EmailLookupKey") is not { } lookupKey
            || entity.GetDateTimeOffset("CreatedAt") is not { } createdAt || entity.GetDateTimeOffset("UpdatedAt") is not { } updatedAt
            || entity.GetString("SecurityStamp") is not { } stamp)
        {
            return null;
        }

        return new User(entity.PartitionKey, email, lookupKey, entity.GetString("PasswordHash"), entity.GetBoolean("EmailVerified") ?? false,
            entity.GetString("DisplayName") ?? string.Empty, createdAt, updatedAt, entity.GetDateTimeOffset("PasswordChangedAt"), stamp)
        {
            ETag = entity.ETag.ToString(),
        };
    }

    private static Session? ToSession(TableEntity entity)
    {
        if (entity.GetString("OrganizationId") is not { } organizationId || entity.GetString("SecurityStamp") is not { } stamp
            || entity.GetDateTimeOffset("CreatedAt") is not { } createdAt || entity.GetDateTimeOffset("LastRefreshedAt") is not { } refreshedAt
            || entity.GetDateTimeOffset("ExpiresAt") is not { } expiresAt || entity.GetInt32("Generation") is not { } generation
            || entity.GetString("CurrentTokenHash") is not { } current)
        {
            return null;
        }

        return new Session(entity.RowKey[SessionRowPrefix.Length..], entity.PartitionKey, organizationId, stamp, entity.GetString("Source") ?? string.Empty,
            createdAt, refreshedAt, expiresAt, generation, current, entity.GetString("PreviousTokenHash"), entity.GetDateTimeOffset("RotatedAt"),
            entity.GetBinary("SealedGrace"), entity.GetDateTimeOffset("RevokedAt"), entity.GetString("RevokedReason"))
        {
            ETag = entity.ETag.ToString(),
        };
    }

    // A MAC counts only on a row that states the MAC'd format.

    private static T? Read<T>(Func<T?> read)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException)
        {
            return default; // A column of the wrong type: the SDK refuses to convert it.
        }
    }

    private static ETag RequireETag(string? etag) =>
        string.IsNullOrEmpty(etag) ? throw new ArgumentException("An update needs the ETag the row was read with.", nameof(etag)) : new ETag(etag);
}
