using Integrations.Core.Crypto;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity.Lockout;

/// <summary>
/// The login throttle: three durable sliding-window counts of failed logins, shared by every instance
/// (<see cref="ILoginFailureStore"/>), each over <see cref="LockoutOptions.Window"/> (default 15 minutes).
/// </summary>
/// <remarks>
/// <para>
/// Every failed attempt (a wrong password or an unknown email) is counted three times: for the (account, source) pair, for
/// the account from all sources, and for the source against all accounts. An attempt is refused (429 with
/// <c>Retry-After</c>) when any of these holds, and <c>Retry-After</c> is the longest wait among them:
/// </para>
/// <list type="number">
/// <item><b>Source locked out of the account</b> — the pair counts at least <see cref="LockoutOptions.MaxFailuresPerAccountSource"/>
/// (default 5) failures: that source may not try that account until the oldest counted failure leaves the window (with exactly
/// 5 counted, the 5th failure locks and the lock lifts 15 minutes after the 1st). This is the seed's lock, as seen by
/// the person (or program) who made the failures. Other sources are not affected by it.</item>
/// <item><b>Account throttled</b> — the account counts at least <see cref="LockoutOptions.MaxFailuresPerAccount"/> (default 20)
/// failures from all sources together: every source, including one never seen before, may make one attempt per
/// <see cref="LockoutOptions.AccountThrottleDelay"/> (default 1 minute) on the account, counted from that source's last
/// failure on it. A source with no failure on the account — the owner on their own network — is let through at once, so
/// an attacker can slow the owner down but never shut them out; rule 1 still caps each source at 5 failures per window.</item>
/// <item><b>Source blocked</b> — the source counts at least <see cref="LockoutOptions.MaxFailuresPerSource"/> (default 50) failures
/// against all accounts together (credential stuffing): it may not try any account until its oldest counted failure leaves
/// the window.</item>
/// </list>
/// <para>
/// A successful login forgets the failures of its own (account, source) pair only: the account-wide count and the source's
/// count across accounts keep them, and the failures of other sources stay. A successful password reset (or an admin's
/// unlock) calls <see cref="ResetAsync"/>, which forgets every count of the account — its own and each pair on it — so the
/// owner gets in from anywhere; an attacker's source regains at most 5 guesses against a password it has never seen.
/// </para>
/// <para>
/// The account <i>becomes locked</i> when a failure trips rule 1 or rule 2 for it. That is reported to the registered
/// <see cref="IAccountLockoutListener"/>s (for <c>auth.account_locked</c>) at most once per account per window: the notice is
/// taken in the same conditional write that counts the account-wide failure, so of concurrent failures on every instance
/// exactly one reports it, and it is reported again only a window after the last report (or after a reset).
/// </para>
/// <para>
/// Accounts and sources are stored and logged only as keyed hashes (HMAC-SHA256 under the key ring's authority key, each
/// with its own label, truncated to 128 bits): no email address or client address is written to storage keys or log lines.
/// </para>
/// </remarks>
public sealed partial class LoginThrottle(
    ILoginFailureStore store, KeyRing keys, IEnumerable<IAccountLockoutListener> listeners, IEnumerable<ILoginFailureListener> failureListeners,
    IOptions<LockoutOptions> options, TimeProvider time, ILogger<LoginThrottle> logger) : ILoginThrottle, ILoginThrottleReset
{
    /// <summary>The MAC domain of an account's stored hash.</summary>
    public const string AccountHashKind = "lockout-account/v1";

    /// <summary>The MAC domain of a source's stored hash.</summary>
    public const string SourceHashKind = "lockout-source/v1";

    private readonly IAccountLockoutListener[] _listeners = [.. listeners];
    private readonly ILoginFailureListener[] _failureListeners = [.. failureListeners];
    private LockoutOptions Options => options.Value;

    public async Task<LoginThrottleDecision> CheckAsync(string accountKey, string source, CancellationToken cancellationToken = default)
    {
        var (account, from) = await HashesAsync(accountKey, source, cancellationToken).ConfigureAwait(false);
        var o = Options;
        var now = time.GetUtcNow();
        var pairRead = store.ReadAsync(LoginFailureKey.ForAccountSource(account, from), o.Window, now, cancellationToken);
        var accountRead = store.ReadAsync(LoginFailureKey.ForAccount(account), o.Window, now, cancellationToken);
        var sourceRead = store.ReadAsync(LoginFailureKey.ForSource(from), o.Window, now, cancellationToken);
        await Task.WhenAll(pairRead, accountRead, sourceRead).ConfigureAwait(false);
        var (pair, all, fromSource) = (await pairRead.ConfigureAwait(false), await accountRead.ConfigureAwait(false), await sourceRead.ConfigureAwait(false));

        TimeSpan? wait = null;
        if (pair.ReleasedIn(o.MaxFailuresPerAccountSource, o.Window, now) is { } pairWait)
        {
            wait = Longer(wait, pairWait);
            Log.Refused(logger, account, from, "source locked out of the account", pairWait);
        }

        if (all.Count >= o.MaxFailuresPerAccount && pair.Newest is { } last && now - last < o.AccountThrottleDelay)
        {
            var throttleWait = last + o.AccountThrottleDelay - now;
            wait = Longer(wait, throttleWait);
            Log.Refused(logger, account, from, "account throttled", throttleWait);
        }

        if (fromSource.ReleasedIn(o.MaxFailuresPerSource, o.Window, now) is { } sourceWait)
        {
            wait = Longer(wait, sourceWait);
            Log.Refused(logger, account, from, "source blocked across accounts", sourceWait);
        }

        return wait is null ? new LoginThrottleDecision(true, null) : new LoginThrottleDecision(false, wait);
    }

    public async Task RecordFailureAsync(string accountKey, string source, CancellationToken cancellationToken = default)
    {
        var (account, from) = await HashesAsync(accountKey, source, cancellationToken).ConfigureAwait(false);
        var o = Options;
        var now = time.GetUtcNow();

        var pair = await store.AddAsync(LoginFailureKey.ForAccountSource(account, from), o.Window, now, cancellationToken: cancellationToken).ConfigureAwait(false);
        var pairLocked = pair.Count >= o.MaxFailuresPerAccountSource;

        // The account-wide count takes the notice: once per account per window, whichever rule locked it.
        var all = await store.AddAsync(LoginFailureKey.ForAccount(account), o.Window, now, pairLocked ? 1 : o.MaxFailuresPerAccount, cancellationToken)
            .ConfigureAwait(false);

        var sourceAdd = store.AddAsync(LoginFailureKey.ForSource(from), o.Window, now, cancellationToken: cancellationToken);
        var report = ReportAsync(accountKey, account, all.Count, now, cancellationToken);
        await Task.WhenAll(sourceAdd, report).ConfigureAwait(false);
        var fromSource = await sourceAdd.ConfigureAwait(false);
        if (fromSource.Count == o.MaxFailuresPerSource)
        {
            Log.SourceBlocked(logger, from, fromSource.Count, o.Window);
        }

        if (!all.Noticed)
        {
            return;
        }

        var lockout = pairLocked
            ? new AccountLockout(accountKey, source, AccountLockoutReason.SourceLimit, pair.Count, now,
                pair.ReleasedIn(o.MaxFailuresPerAccountSource, o.Window, now) ?? o.Window)
            : new AccountLockout(accountKey, source, AccountLockoutReason.AccountLimit, all.Count, now, o.AccountThrottleDelay);
        Log.AccountLocked(logger, account, lockout.Reason, lockout.Failures, from);
        foreach (var listener in _listeners)
        {
            try
            {
                await listener.AccountLockedAsync(lockout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The failure is counted and the lock holds whatever a listener does; only its notice is lost.
                Log.ListenerFailed(logger, ex, account, listener.GetType().Name);
            }
        }
    }

    /// <summary>
    /// Tells the failure listeners, at most once per account per <see cref="LockoutOptions.LoginFailedEventInterval"/>: the
    /// report list's notice (threshold 1, window = the interval) is taken by exactly one failure per quiet interval, on whichever
    /// instance. Costs one conditional write per failure, and none when no listener is registered.
    /// </summary>
    private async Task ReportAsync(string accountKey, string account, int failures, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_failureListeners.Length == 0)
        {
            return;
        }

        var o = Options;
        var reported = await store.AddAsync(LoginFailureKey.ForAccountReport(account), o.LoginFailedEventInterval, now, 1, cancellationToken).ConfigureAwait(false);
        if (!reported.Noticed)
        {
            return;
        }

        var report = new LoginFailureReport(accountKey, failures, o.Window, now);
        foreach (var listener in _failureListeners)
        {
            try
            {
                await listener.LoginFailedAsync(report, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.ListenerFailed(logger, ex, account, listener.GetType().Name);
            }
        }
    }

    public async Task RecordSuccessAsync(string accountKey, string source, CancellationToken cancellationToken = default)
    {
        var (account, from) = await HashesAsync(accountKey, source, cancellationToken).ConfigureAwait(false);

        // Only this pair's failures: a success from one network must not wash out what other sources did.
        await store.ClearAsync(LoginFailureKey.ForAccountSource(account, from), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task ResetAsync(string accountKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountKey);
        var account = await HashAsync(AccountHashKind, accountKey, cancellationToken).ConfigureAwait(false);
        await store.ClearAccountAsync(account, cancellationToken).ConfigureAwait(false);
        Log.Reset(logger, account);
    }

    /// <summary>The stored (and logged) form of an account key: a keyed hash, 32 lower-case hex digits.</summary>
    public ValueTask<string> AccountHashAsync(string accountKey, CancellationToken cancellationToken = default) =>
        HashAsync(AccountHashKind, accountKey, cancellationToken);

    private async Task<(string Account, string Source)> HashesAsync(string accountKey, string source, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountKey);
        ArgumentException.ThrowIfNullOrEmpty(source);
        return (await HashAsync(AccountHashKind, accountKey, cancellationToken).ConfigureAwait(false),
            await HashAsync(SourceHashKind, source, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<string> HashAsync(string kind, string value, CancellationToken cancellationToken)
    {
        // The authority key's MAC under a kind of its own: domain-separated from every authority row's MAC (no row has these
        // kinds), stable across restarts and instances, and unknown to anyone who can only read storage or logs.
        var key = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        var mac = Convert.FromBase64String(key.RowMac(kind, [value]));
        return Convert.ToHexStringLower(mac.AsSpan(0, 16));
    }

    private static TimeSpan Longer(TimeSpan? current, TimeSpan candidate) => current is { } c && c >= candidate ? c : candidate;

    private static partial class Log
    {
        [LoggerMessage(EventId = 9680, Level = LogLevel.Warning,
            Message = "Login lockout: account {Account} is locked ({Reason}) after {Failures} failed logins; the last from source {Source}.")]
        public static partial void AccountLocked(ILogger logger, string account, AccountLockoutReason reason, int failures, string source);

        [LoggerMessage(EventId = 9681, Level = LogLevel.Warning,
            Message = "Login lockout: source {Source} made {Failures} failed logins across accounts in {Window}; it is blocked from every login until they age out.")]
        public static partial void SourceBlocked(ILogger logger, string source, int failures, TimeSpan window);

        [LoggerMessage(EventId = 9682, Level = LogLevel.Debug, Message = "Login of account {Account} from source {Source} refused: {Why}; retry after {RetryAfter}.")]
        public static partial void Refused(ILogger logger, string account, string source, string why, TimeSpan retryAfter);

        [LoggerMessage(EventId = 9683, Level = LogLevel.Error, Message = "Login listener {Listener} failed for account {Account}; its notice (a lock or a failed-login report) is lost.")]
        public static partial void ListenerFailed(ILogger logger, Exception exception, string account, string listener);

        [LoggerMessage(EventId = 9684, Level = LogLevel.Information, Message = "Login lockout of account {Account} cleared (password reset or unlock).")]
        public static partial void Reset(ILogger logger, string account);
    }
}
