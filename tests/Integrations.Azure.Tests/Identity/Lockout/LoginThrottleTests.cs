using System.Collections.Concurrent;
using Integrations.Azure.Tests.KeyVault;
using Integrations.Core.Identity.Lockout;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Azure.Tests.Identity.Lockout;

/// <summary>
/// The login throttle over the real table store on Azurite, with a fake clock: the seed's lock at the 5th failure, its release
/// when the window passes, and the rules that keep an attacker from locking the owner out.
/// </summary>
public sealed class LoginThrottleTests
{
    private const string Owner = "ada@example.com";
    private const string OwnerHome = "198.51.100.7";
    private const string Attacker = "203.0.113.66";
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly string _rootKey = HubServices.NewRootKey();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero));
    private readonly RecordingListener _listener = new();
    private readonly RecordingLogger<LoginThrottle> _log = new();

    [Fact]
    public async Task CheckAsync_FourFailures_StillAllowsTheFifthAttempt()
    {
        await using var hub = await StartAsync();
        var throttle = hub.Get<ILoginThrottle>();

        var decisions = new List<LoginThrottleDecision>();
        for (var i = 0; i < 4; i++)
        {
            await throttle.RecordFailureAsync(Owner, Attacker);
            decisions.Add(await throttle.CheckAsync(Owner, Attacker));
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.All(decisions, d => Assert.Equal(new LoginThrottleDecision(true, null), d));
        Assert.Empty(_listener.Lockouts);
    }

    [Fact]
    public async Task CheckAsync_FifthFailure_LocksTheSourceUntilTheFirstFailureLeavesTheWindow()
    {
        await using var hub = await StartAsync();
        var throttle = hub.Get<ILoginThrottle>();
        var first = _time.GetUtcNow();

        for (var i = 0; i < 5; i++)
        {
            await throttle.RecordFailureAsync(Owner, Attacker);
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        var locked = await throttle.CheckAsync(Owner, Attacker);

        Assert.False(locked.Allowed);
        Assert.Equal(first + Window - _time.GetUtcNow(), locked.RetryAfter);
        Assert.Equal(TimeSpan.FromMinutes(14) + TimeSpan.FromSeconds(10), locked.RetryAfter);
        var lockout = Assert.Single(_listener.Lockouts);
        Assert.Equal((Owner, Attacker, AccountLockoutReason.SourceLimit, 5), (lockout.AccountKey, lockout.Source, lockout.Reason, lockout.Failures));
    }

    [Fact]
    public async Task CheckAsync_WindowPasses_ReleasesExactlyWhenRetryAfterEnds()
    {
        await using var hub = await StartAsync();
        var throttle = hub.Get<ILoginThrottle>();
        for (var i = 0; i < 5; i++)
        {
            await throttle.RecordFailureAsync(Owner, Attacker);
        }

        var locked = await throttle.CheckAsync(Owner, Attacker);
        _time.Advance(locked.RetryAfter!.Value - TimeSpan.FromTicks(1));
        var aTickBefore = await throttle.CheckAsync(Owner, Attacker);
        _time.Advance(TimeSpan.FromTicks(1));
        var atTheEnd = await throttle.CheckAsync(Owner, Attacker);

        Assert.Equal(Window, locked.RetryAfter);
        Assert.False(aTickBefore.Allowed);
        Assert.Equal(TimeSpan.FromTicks(1), aTickBefore.RetryAfter);
        Assert.Equal(new LoginThrottleDecision(true, null), atTheEnd);
    }

    [Fact]
    public async Task CheckAsync_AttackerLockedOutOfTheAccount_OwnerFromAnotherSourceGetsIn()
    {
        await using var hub = await StartAsync();
        var throttle = hub.Get<ILoginThrottle>();
        for (var i = 0; i < 10; i++)
        {
            await throttle.RecordFailureAsync(Owner, Attacker);
        }

        var owner = await throttle.CheckAsync(Owner, OwnerHome);
        await throttle.RecordSuccessAsync(Owner, OwnerHome);
        var attackerAfterOwnersSuccess = await throttle.CheckAsync(Owner, Attacker);

        Assert.Equal(new LoginThrottleDecision(true, null), owner);
        Assert.False(attackerAfterOwnersSuccess.Allowed);
    }

    [Fact]
    public async Task CheckAsync_AccountWideLimitReached_ThrottlesEachSourceButNeverShutsTheOwnerOut()
    {
        // Arrange: four attacking sources, 5 failures each: 20, the account-wide limit.
        await using var hub = await StartAsync();
        var throttle = hub.Get<ILoginThrottle>();
        for (var source = 1; source <= 4; source++)
        {
            for (var i = 0; i < 5; i++)
            {
                await throttle.RecordFailureAsync(Owner, $"203.0.113.{source}");
            }
        }

        // Act: the owner arrives from a network never seen, mistypes once, waits, and tries again; a fifth attacking source too.
        var ownerFirst = await throttle.CheckAsync(Owner, OwnerHome);
        await throttle.RecordFailureAsync(Owner, OwnerHome);
        var ownerRightAfterTypo = await throttle.CheckAsync(Owner, OwnerHome);
        var freshAttacker = await throttle.CheckAsync(Owner, "203.0.113.5");
        await throttle.RecordFailureAsync(Owner, "203.0.113.5");
        var freshAttackerAgain = await throttle.CheckAsync(Owner, "203.0.113.5");
        _time.Advance(TimeSpan.FromMinutes(1));
        var ownerAMinuteLater = await throttle.CheckAsync(Owner, OwnerHome);
        var lockedSourceAMinuteLater = await throttle.CheckAsync(Owner, "203.0.113.1");

        // Assert
        Assert.True(ownerFirst.Allowed);
        Assert.Equal(new LoginThrottleDecision(false, TimeSpan.FromMinutes(1)), ownerRightAfterTypo);
        Assert.True(freshAttacker.Allowed);
        Assert.Equal(new LoginThrottleDecision(false, TimeSpan.FromMinutes(1)), freshAttackerAgain);
        Assert.Equal(new LoginThrottleDecision(true, null), ownerAMinuteLater);
        Assert.Equal(new LoginThrottleDecision(false, TimeSpan.FromMinutes(14)), lockedSourceAMinuteLater);
    }

    [Fact]
    public async Task CheckAsync_BelowTheAccountWideLimit_DoesNotThrottleOtherSources()
    {
        await using var hub = await StartAsync();
        var throttle = hub.Get<ILoginThrottle>();
        for (var source = 1; source <= 3; source++)
        {
            for (var i = 0; i < 5; i++)
            {
                await throttle.RecordFailureAsync(Owner, $"203.0.113.{source}");
            }
        }

        await throttle.RecordFailureAsync(Owner, OwnerHome);
        var ownerAfterTypo = await throttle.CheckAsync(Owner, OwnerHome);

        Assert.Equal(new LoginThrottleDecision(true, null), ownerAfterTypo);
    }

    [Fact]
    public async Task CheckAsync_OneSourceFailingAcrossManyAccounts_IsBlockedFromEveryAccount()
    {
        var settings = new Dictionary<string, string?> { ["Auth:Lockout:MaxFailuresPerSource"] = "12" };
        await using var hub = await StartAsync(settings: settings);
        var throttle = hub.Get<ILoginThrottle>();

        // Credential stuffing: one guess per account, never reaching any account's own limit.
        var beforeLimit = new List<LoginThrottleDecision>();
        for (var i = 0; i < 12; i++)
        {
            beforeLimit.Add(await throttle.CheckAsync($"user{i}@example.com", Attacker));
            await throttle.RecordFailureAsync($"user{i}@example.com", Attacker);
        }

        var untriedAccount = await throttle.CheckAsync("someone.else@example.com", Attacker);
        var otherSource = await throttle.CheckAsync("someone.else@example.com", OwnerHome);

        Assert.All(beforeLimit, d => Assert.True(d.Allowed));
        Assert.Equal(new LoginThrottleDecision(false, Window), untriedAccount);
        Assert.Equal(new LoginThrottleDecision(true, null), otherSource);
        Assert.Empty(_listener.Lockouts);
        Assert.Contains(_log.Entries, e => e.EventId == 9681);
    }

    [Fact]
    public async Task ResetAsync_AfterAttackAndOwnersOwnLock_OwnerGetsInFromAnotherSourceAndFromHome()
    {
        // Arrange: attackers throttle the account; the owner also locked their home source out by mistyping.
        await using var hub = await StartAsync();
        var throttle = hub.Get<ILoginThrottle>();
        for (var source = 1; source <= 4; source++)
        {
            for (var i = 0; i < 5; i++)
            {
                await throttle.RecordFailureAsync(Owner, $"203.0.113.{source}");
            }
        }

        for (var i = 0; i < 5; i++)
        {
            await throttle.RecordFailureAsync(Owner, OwnerHome);
        }

        var homeBeforeReset = await throttle.CheckAsync(Owner, OwnerHome);

        // Act: the owner resets the password (from the office), then mistypes once at home.
        await hub.Get<ILoginThrottleReset>().ResetAsync(Owner);
        var office = await throttle.CheckAsync(Owner, "192.0.2.10");
        var home = await throttle.CheckAsync(Owner, OwnerHome);
        await throttle.RecordFailureAsync(Owner, OwnerHome);
        var homeAfterTypo = await throttle.CheckAsync(Owner, OwnerHome);

        // Assert: no lock and no throttle left on the account.
        Assert.False(homeBeforeReset.Allowed);
        Assert.Equal(new LoginThrottleDecision(true, null), office);
        Assert.Equal(new LoginThrottleDecision(true, null), home);
        Assert.Equal(new LoginThrottleDecision(true, null), homeAfterTypo);
    }

    [Fact]
    public async Task ResetAsync_AfterALockout_NoticesTheNextLockAgain()
    {
        await using var hub = await StartAsync();
        var throttle = hub.Get<ILoginThrottle>();
        for (var i = 0; i < 5; i++)
        {
            await throttle.RecordFailureAsync(Owner, Attacker);
        }

        await hub.Get<ILoginThrottleReset>().ResetAsync(Owner);
        for (var i = 0; i < 5; i++)
        {
            await throttle.RecordFailureAsync(Owner, Attacker);
        }

        Assert.Equal(2, _listener.Lockouts.Count);
        Assert.False((await throttle.CheckAsync(Owner, Attacker)).Allowed);
    }

    [Fact]
    public async Task RecordFailureAsync_TwoInstancesOnOneStorage_ShareTheCount()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync(first.Prefix);
        var a = first.Get<ILoginThrottle>();
        var b = second.Get<ILoginThrottle>();

        for (var i = 0; i < 4; i++)
        {
            await (i % 2 == 0 ? a : b).RecordFailureAsync(Owner, Attacker);
        }

        var beforeFifth = await a.CheckAsync(Owner, Attacker);
        await b.RecordFailureAsync(Owner, Attacker);
        var onA = await a.CheckAsync(Owner, Attacker);
        var onB = await b.CheckAsync(Owner, Attacker);

        Assert.True(beforeFifth.Allowed);
        Assert.Equal(new LoginThrottleDecision(false, Window), onA);
        Assert.Equal(onA, onB);
    }

    [Fact]
    public async Task RecordFailureAsync_ConcurrentFailuresOnTwoInstances_AreAllCountedAndNoticedOnce()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync(first.Prefix);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? first : second).Get<ILoginThrottle>().RecordFailureAsync(Owner, Attacker)));
        var failures = await first.Get<ILoginFailureStore>().ReadAsync(
            LoginFailureKey.ForAccount(await first.Get<LoginThrottle>().AccountHashAsync(Owner)), Window, _time.GetUtcNow());

        Assert.Equal(8, failures.Count);
        Assert.Single(_listener.Lockouts);
    }

    [Fact]
    public async Task RecordFailureAsync_LockedAgainAfterTheWindow_NoticesAgain()
    {
        await using var hub = await StartAsync();
        var throttle = hub.Get<ILoginThrottle>();
        for (var i = 0; i < 6; i++)
        {
            await throttle.RecordFailureAsync(Owner, Attacker);
        }

        _time.Advance(Window);
        for (var i = 0; i < 5; i++)
        {
            await throttle.RecordFailureAsync(Owner, Attacker);
        }

        Assert.Equal(2, _listener.Lockouts.Count);
    }

    [Fact]
    public async Task RecordFailureAsync_ManyFailuresInOneInterval_ReportsOnceThenTheNextIntervalReportsTheWindowCount()
    {
        await using var hub = await StartAsync();
        var throttle = hub.Get<ILoginThrottle>();

        for (var i = 0; i < 4; i++)
        {
            await throttle.RecordFailureAsync(Owner, i % 2 == 0 ? Attacker : OwnerHome);
            _time.Advance(TimeSpan.FromSeconds(30));
        }

        var afterFirstInterval = _listener.Reports.ToArray();
        _time.Advance(TimeSpan.FromMinutes(4)); // 6 minutes after the first report: a new 5-minute interval
        await throttle.RecordFailureAsync(Owner, Attacker);
        await throttle.RecordFailureAsync(Owner, Attacker);

        var first = Assert.Single(afterFirstInterval);
        Assert.Equal(1, first.Failures);
        Assert.Equal(Owner, first.AccountKey);
        Assert.Equal(2, _listener.Reports.Count);
        var second = _listener.Reports.Last();
        Assert.Equal(5, second.Failures); // every failure of the 15-minute window, from both sources
        Assert.Equal(Window, second.Window);
        Assert.DoesNotContain(Owner, second.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordFailureAsync_ConcurrentFailuresOnTwoInstances_ReportOnce()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync(first.Prefix);

        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? first : second).Get<ILoginThrottle>()
            .RecordFailureAsync(Owner, i % 3 == 0 ? Attacker : OwnerHome)));

        Assert.Single(_listener.Reports);
    }

    [Fact]
    public async Task ResetAsync_AfterAReport_ReportsTheNextFailureAtOnce()
    {
        await using var hub = await StartAsync();
        var throttle = hub.Get<ILoginThrottle>();
        await throttle.RecordFailureAsync(Owner, Attacker);

        await hub.Get<ILoginThrottleReset>().ResetAsync(Owner);
        await throttle.RecordFailureAsync(Owner, Attacker);

        Assert.Equal([1, 1], _listener.Reports.Select(r => r.Failures));
    }

    [Fact]
    public async Task RecordSuccessAsync_OnOneSource_KeepsTheFailuresOfOtherSources()
    {
        await using var hub = await StartAsync();
        var throttle = hub.Get<ILoginThrottle>();
        for (var i = 0; i < 4; i++)
        {
            await throttle.RecordFailureAsync(Owner, Attacker);
            await throttle.RecordFailureAsync(Owner, OwnerHome);
        }

        await throttle.RecordSuccessAsync(Owner, OwnerHome);
        await throttle.RecordFailureAsync(Owner, Attacker);
        await throttle.RecordFailureAsync(Owner, OwnerHome);
        var attacker = await throttle.CheckAsync(Owner, Attacker);
        var owner = await throttle.CheckAsync(Owner, OwnerHome);

        Assert.Equal(new LoginThrottleDecision(false, Window), attacker);
        Assert.Equal(new LoginThrottleDecision(true, null), owner);
    }

    [Fact]
    public async Task RecordFailureAsync_ListenerThrows_StillLocksAndLogsTheFailure()
    {
        _listener.Throw = true;
        await using var hub = await StartAsync();
        var throttle = hub.Get<ILoginThrottle>();

        for (var i = 0; i < 5; i++)
        {
            await throttle.RecordFailureAsync(Owner, Attacker);
        }

        Assert.False((await throttle.CheckAsync(Owner, Attacker)).Allowed);
        Assert.Contains(_log.Entries, e => e.EventId == 9683 && e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task Logs_OfLockAndRefusals_HoldNeitherTheEmailNorTheAddress()
    {
        await using var hub = await StartAsync();
        var throttle = hub.Get<ILoginThrottle>();
        for (var i = 0; i < 5; i++)
        {
            await throttle.RecordFailureAsync(Owner, Attacker);
        }

        await throttle.CheckAsync(Owner, Attacker);
        await hub.Get<ILoginThrottleReset>().ResetAsync(Owner);
        var accountHash = await hub.Get<LoginThrottle>().AccountHashAsync(Owner);

        Assert.Contains(_log.Entries, e => e.EventId == 9680 && e.Message.Contains(accountHash, StringComparison.Ordinal));
        Assert.Contains(_log.Entries, e => e.EventId == 9682);
        Assert.Contains(_log.Entries, e => e.EventId == 9684);
        Assert.All(_log.Entries, e =>
        {
            Assert.InRange(e.EventId, 9680, 9699);
            Assert.DoesNotContain("example.com", e.ToString(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Attacker, e.ToString(), StringComparison.Ordinal);
        });
        Assert.DoesNotContain(Owner, Assert.Single(_listener.Lockouts).ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RecordSuccessAsync_StufferWithOneValidCredential_KeepsItsCountAcrossAccounts()
    {
        var settings = new Dictionary<string, string?> { ["Auth:Lockout:MaxFailuresPerSource"] = "6" };
        await using var hub = await StartAsync(settings: settings);
        var throttle = hub.Get<ILoginThrottle>();
        for (var i = 0; i < 5; i++)
        {
            await throttle.RecordFailureAsync($"user{i}@example.com", Attacker);
        }

        // The attacker logs in to an account of its own, hoping the success resets its count.
        await throttle.RecordSuccessAsync("mallory@example.net", Attacker);
        await throttle.RecordFailureAsync("user5@example.com", Attacker);
        var next = await throttle.CheckAsync("user6@example.com", Attacker);

        Assert.False(next.Allowed);
    }

    [Fact]
    public async Task Storage_ReadWithTheTablesSdk_HoldsNoEmailOrAddressInKeysOrColumns()
    {
        await using var hub = await StartAsync();
        var throttle = hub.Get<ILoginThrottle>();
        for (var i = 0; i < 5; i++)
        {
            await throttle.RecordFailureAsync(Owner, Attacker);
        }

        // As someone holding a read SAS for the storage account would see it.
        var rows = new List<global::Azure.Data.Tables.TableEntity>();
        await foreach (var row in new global::Azure.Data.Tables.TableClient(hub.ConnectionString, hub.Prefix + "counters")
            .QueryAsync<global::Azure.Data.Tables.TableEntity>("PartitionKey ge 'hub|login|' and PartitionKey lt 'hub|login}'"))
        {
            rows.Add(row);
        }

        Assert.Equal(4, rows.Count); // the pair, the account, the source, and when failures were last reported
        Assert.All(rows, row =>
        {
            var text = string.Join(" ", row.Select(column => $"{column.Key}={column.Value}"));
            Assert.DoesNotContain("ada", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("example", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Attacker, text, StringComparison.Ordinal);
        });
    }

    private Task<HubServices> StartAsync(string? prefix = null, IDictionary<string, string?>? settings = null) =>
        HubServices.StartAsync(prefix, _rootKey, settings, services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time));
            services.Replace(ServiceDescriptor.Singleton<ILogger<LoginThrottle>>(_log));
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IAccountLockoutListener>(_listener));
            services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoginFailureListener>(_listener));
        });

    private sealed class RecordingListener : IAccountLockoutListener, ILoginFailureListener
    {
        public ConcurrentQueue<LoginFailureReport> Reports { get; } = new();

        public Task LoginFailedAsync(LoginFailureReport report, CancellationToken cancellationToken = default)
        {
            Reports.Enqueue(report);
            return Throw ? Task.FromException(new InvalidOperationException("The outbox is down.")) : Task.CompletedTask;
        }

        public bool Throw { get; set; }

        public ConcurrentQueue<AccountLockout> Lockouts { get; } = new();

        public Task AccountLockedAsync(AccountLockout lockout, CancellationToken cancellationToken = default)
        {
            Lockouts.Enqueue(lockout);
            return Throw ? Task.FromException(new InvalidOperationException("The outbox is down.")) : Task.CompletedTask;
        }
    }
}
