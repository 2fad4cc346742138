using System.Collections.Concurrent;
using Integrations.Azure.Tests.OAuth.Tokens;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Identity.Passwords;
using Integrations.Core.Identity.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Azure.Tests.Identity.Users;

/// <summary>The hub's services with users, sessions and memberships registered, a fake clock and every log line recorded.</summary>
internal sealed class UserHub : IAsyncDisposable
{
    public const string StrongPassword = "Kettle-Harbour-Quartz-91";
    public const string Source = "203.0.113.7";

    private UserHub(HubServices services, FakeTimeProvider time, TestOrganizations organizations, LogSink logs, CountingPasswordHasher hasher)
    {
        Services = services;
        Time = time;
        Organizations = organizations;
        Logs = logs;
        Hasher = hasher;
    }

    public HubServices Services { get; }

    public FakeTimeProvider Time { get; }

    public TestOrganizations Organizations { get; }

    public LogSink Logs { get; }

    public CountingPasswordHasher Hasher { get; }

    public UserSessionService Users => Services.Get<UserSessionService>();

    public IUserStore Store => Services.Get<IUserStore>();

    public IMembershipStore Memberships => Services.Get<IMembershipStore>();

    public static async Task<UserHub> StartAsync(
        string? prefix = null, string? rootKey = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        TestOrganizations? organizations = null;
        var logs = new LogSink();
        var all = new Dictionary<string, string?> { ["Auth:Issuer"] = "https://hub.example.com" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        CountingPasswordHasher? hasher = null;
        var services = await HubServices.StartAsync(prefix, rootKey, all, s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddSingleton<IUserOrganizations>(sp => organizations = new TestOrganizations(sp.GetRequiredService<UserOrganizations>()));
            s.AddIntegrationsMemberships();
            s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
            configure?.Invoke(s);
            s.AddIntegrationsUserSessions();
            s.TryAddSingleton<Argon2idPasswordHasher>();
            s.Replace(ServiceDescriptor.Singleton<IPasswordHasher>(sp => hasher = new CountingPasswordHasher(sp.GetRequiredService<Argon2idPasswordHasher>())));
        });
        _ = services.Get<IPasswordHasher>();
        _ = services.Get<IUserOrganizations>();
        return new UserHub(services, time, organizations!, logs, hasher!);
    }

    /// <summary>Signs up <paramref name="email"/> with <see cref="StrongPassword"/>.</summary>
    public async Task<User> SignUpAsync(string email, string password = StrongPassword)
    {
        var result = await Users.SignUpAsync(email, password, "Test Person");
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    public async Task<UserTokens> LoginAsync(string email, string password = StrongPassword)
    {
        var result = await Users.LoginAsync(email, password, Source);
        Assert.True(result.IsSuccess, result.Error?.Code);
        return result.Tokens;
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}

/// <summary>The real organizations (memberships on Azurite), recording whom a personal organization was made for.</summary>
internal sealed class TestOrganizations(UserOrganizations inner) : IUserOrganizations
{
    public ConcurrentQueue<string> PersonalCreatedFor { get; } = new();

    public async Task CreatePersonalOrganizationAsync(User user, CancellationToken cancellationToken = default)
    {
        await inner.CreatePersonalOrganizationAsync(user, cancellationToken);
        PersonalCreatedFor.Enqueue(user.Id);
    }

    public Task<UserOrganization?> FindAsync(string userId, string? organizationId, CancellationToken cancellationToken = default) =>
        inner.FindAsync(userId, organizationId, cancellationToken);

    public UserOrganization? Choose(IReadOnlyList<Membership> memberships, string? organizationId) => inner.Choose(memberships, organizationId);
}

/// <summary>The real hasher, counting its calls by kind (each is one Argon2id computation).</summary>
internal sealed class CountingPasswordHasher(IPasswordHasher inner) : IPasswordHasher
{
    private int _hashes;
    private int _verifies;
    private int _dummies;

    public int Hashes => _hashes;

    public int Verifies => _verifies;

    public int Dummies => _dummies;

    public string Hash(string password)
    {
        Interlocked.Increment(ref _hashes);
        return inner.Hash(password);
    }

    public PasswordVerification Verify(string password, string storedHash)
    {
        Interlocked.Increment(ref _verifies);
        return inner.Verify(password, storedHash);
    }

    public PasswordVerification VerifyAgainstDummy(string password)
    {
        Interlocked.Increment(ref _dummies);
        return inner.VerifyAgainstDummy(password);
    }
}
