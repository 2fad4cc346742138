using System.Collections.Concurrent;
using Integrations.Core.OAuth.Tokens;
using Integrations.Core.Vault;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Connections;

/// <summary>
/// A short-lived per-instance cache of what the proxy and the token route need on every call: the connection
/// (configuration + state), the unsealed static credential, and the OAuth access token. Without it each call costs three
/// storage reads (the two connection rows and the credential's vault secret, plus its unsealing) before its audit insert.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Keyed by organization, project and connection id: tenants and projects never share an entry.</item>
/// <item>An entry lives at most <see cref="ConnectionCacheOptions.CacheDuration"/>; an access token besides only while it
/// is outside its refresh skew (<see cref="TokenSet.RefreshAt"/>), so a token due for refresh — let alone an expired one —
/// is never served from here.</item>
/// <item>Every change on this instance empties the connection's entries at once: configuration writes
/// (<see cref="ConnectionService"/>), state writes (<see cref="ConnectionStateChanges"/>: disable, revoke, needs_reauth,
/// refreshes …), and any secret write in the project (<see cref="SecretChanges"/>: token refreshes, grants and
/// revocations write the token secret; users update static secrets). A read that began before an invalidation is not
/// stored (an epoch taken before the read must still hold), so a stale row cannot slip back in.</item>
/// <item>Changes on another instance reach this one within the duration: the documented trade-off.</item>
/// <item>Bounded: at <see cref="ConnectionCacheOptions.CacheSize"/> connections, expired entries go, and if none had, all.</item>
/// </list>
/// An unsealed credential held here for a few seconds is the exposure each call had anyway while it unsealed it.
/// </remarks>
public sealed partial class ConnectionCache
{
    private readonly ConcurrentDictionary<Key, Entry> _entries = new();
    private readonly TimeProvider _time;
    private readonly ILogger<ConnectionCache> _logger;
    private readonly TimeSpan _duration;
    private readonly int _size;
    private long _epoch;

    public ConnectionCache(IOptions<ConnectionCacheOptions> options, TimeProvider time, ILogger<ConnectionCache> logger, SecretChanges? secretChanges = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _logger = logger;
        _duration = options.Value.CacheDuration;
        _size = options.Value.CacheSize;
        secretChanges?.Subscribe(InvalidateProject);
    }

    /// <summary>False when <see cref="ConnectionCacheOptions.CacheDuration"/> is zero: nothing is stored.</summary>
    public bool Enabled => _duration > TimeSpan.Zero;

    /// <summary>How many connections have an entry (for tests and diagnostics).</summary>
    public int Count => _entries.Count;

    /// <summary>Take before reading storage; pass to a <c>Set…</c> method, which stores nothing if an invalidation happened since.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    public bool TryGetConnection(string organizationId, string projectId, string connectionId, out Connection connection)
    {
        connection = null!;
        if (!_entries.TryGetValue(new Key(organizationId, projectId, connectionId), out var entry) || entry.Connection is not { } cached || !Live(cached.ValidUntil))
        {
            return false;
        }

        connection = cached.Value;
        return true;
    }

    public void SetConnection(Connection connection, long epoch)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Update(KeyOf(connection), epoch, e => e with { Connection = new Timed<Connection>(connection, Until(null)) });
    }

    /// <summary>The cached access token of <paramref name="connection"/> while it is outside its refresh skew and its entry is live.</summary>
    public bool TryGetToken(Connection connection, out AccessToken token)
    {
        ArgumentNullException.ThrowIfNull(connection);
        token = null!;
        if (!_entries.TryGetValue(KeyOf(connection), out var entry) || entry.Token is not { } cached || !Live(cached.ValidUntil))
        {
            return false;
        }

        token = cached.Value;
        return true;
    }

    /// <summary>Stores <paramref name="token"/> until <paramref name="refreshAt"/> at the latest (the token's refresh point, inside its expiry).</summary>
    public void SetToken(Connection connection, AccessToken token, DateTimeOffset refreshAt, long epoch)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(token);
        var until = Until(token.ExpiresAt is { } expiresAt && expiresAt < refreshAt ? expiresAt : refreshAt);
        if (Live(until))
        {
            Update(KeyOf(connection), epoch, e => e with { Token = new Timed<AccessToken>(token, until) });
        }
    }

    public bool TryGetCredential(Connection connection, out InjectedCredential credential)
    {
        ArgumentNullException.ThrowIfNull(connection);
        credential = null!;
        if (!_entries.TryGetValue(KeyOf(connection), out var entry) || entry.Credential is not { } cached || !Live(cached.ValidUntil))
        {
            return false;
        }

        credential = cached.Value;
        return true;
    }

    public void SetCredential(Connection connection, InjectedCredential credential, long epoch)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(credential);
        Update(KeyOf(connection), epoch, e => e with { Credential = new Timed<InjectedCredential>(credential, Until(null)) });
    }

    /// <summary>Forgets everything cached for one connection (it changed on this instance).</summary>
    public void Invalidate(string organizationId, string projectId, string connectionId)
    {
        Interlocked.Increment(ref _epoch);
        _entries.TryRemove(new Key(organizationId, projectId, connectionId), out _);
    }

    /// <summary>Forgets the connection's access token only (the upstream rejected it: the proxy refreshes).</summary>
    public void EvictToken(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Interlocked.Increment(ref _epoch);
        var key = KeyOf(connection);
        while (_entries.TryGetValue(key, out var entry) && entry.Token is not null && !_entries.TryUpdate(key, entry with { Token = null }, entry))
        {
        }
    }

    /// <summary>Forgets the connection's static credential only (the upstream rejected it: the next call reads the secret again).</summary>
    public void EvictCredential(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Interlocked.Increment(ref _epoch);
        var key = KeyOf(connection);
        while (_entries.TryGetValue(key, out var entry) && entry.Credential is not null && !_entries.TryUpdate(key, entry with { Credential = null }, entry))
        {
        }
    }

    /// <summary>Forgets every connection of a project (one of its secrets was written: a credential or a token may have changed).</summary>
    public void InvalidateProject(string organizationId, string projectId)
    {
        Interlocked.Increment(ref _epoch);
        if (_entries.IsEmpty)
        {
            return;
        }

        foreach (var key in _entries.Keys)
        {
            if (string.Equals(key.OrganizationId, organizationId, StringComparison.Ordinal) && string.Equals(key.ProjectId, projectId, StringComparison.Ordinal))
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private static Key KeyOf(Connection connection) => new(connection.OrganizationId, connection.ProjectId, connection.Id);

    private DateTimeOffset Until(DateTimeOffset? atMost)
    {
        var until = _time.GetUtcNow() + _duration;
        return atMost is { } limit && limit < until ? limit : until;
    }

    private bool Live(DateTimeOffset validUntil) => _time.GetUtcNow() < validUntil;

    private void Update(Key key, long epoch, Func<Entry, Entry> change)
    {
        if (!Enabled)
        {
            return;
        }

        if (!_entries.ContainsKey(key) && _entries.Count >= _size)
        {
            MakeRoom();
        }

        while (true)
        {
            // Checked inside the loop: an invalidation racing this write either runs first (the epoch moved: nothing is
            // stored) or removes what this stored.
            if (Epoch != epoch)
            {
                return;
            }

            if (_entries.TryGetValue(key, out var current))
            {
                if (_entries.TryUpdate(key, change(current), current))
                {
                    break;
                }
            }
            else if (_entries.TryAdd(key, change(Entry.Empty)))
            {
                break;
            }
        }

        // An invalidation that ran between the check and the write bumped the epoch after this stored: take it back.
        if (Epoch != epoch)
        {
            _entries.TryRemove(key, out _);
        }
    }

    private void MakeRoom()
    {
        var now = _time.GetUtcNow();
        foreach (var (key, entry) in _entries)
        {
            if (!entry.IsLiveAt(now))
            {
                _entries.TryRemove(key, out _);
            }
        }

        if (_entries.Count >= _size)
        {
            _entries.Clear();
            Log.Cleared(_logger, _size);
        }
    }

    private readonly record struct Key(string OrganizationId, string ProjectId, string ConnectionId);

    private sealed record Timed<T>(T Value, DateTimeOffset ValidUntil);

    private sealed record Entry(Timed<Connection>? Connection, Timed<AccessToken>? Token, Timed<InjectedCredential>? Credential)
    {
        public static readonly Entry Empty = new(null, null, null);

        public bool IsLiveAt(DateTimeOffset now) =>
            (Connection is not null && now < Connection.ValidUntil) || (Token is not null && now < Token.ValidUntil) || (Credential is not null && now < Credential.ValidUntil);

        // The token and the credential are secrets: a log line or exception that prints an entry must not show them.
        public override string ToString() => "ConnectionCache.Entry { (redacted) }";
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8700, Level = LogLevel.Information, Message = "The connection cache held {Size} live connections (Connections:CacheSize) and was emptied.")]
        public static partial void Cleared(ILogger logger, int size);
    }
}
