using System.Collections.Concurrent;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.OAuth.Tokens;
using Integrations.Core.Vault;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Azure.Tests.OAuth.Tokens;

/// <summary>
/// One hub instance (its own DI container) with the token service over real storage (Azurite: vault, blob leases),
/// the scripted provider and the in-memory state seam, which several instances may share.
/// </summary>
public sealed class TokenHub : IAsyncDisposable
{
    private TokenHub(HubServices services) => Services = services;

    public HubServices Services { get; }

    public IConnectionTokenService Tokens => Services.Get<IConnectionTokenService>();

    public VaultService Vault => Services.Get<VaultService>();

    /// <summary>The instance's distributed lock, counting acquisition attempts.</summary>
    public CountingLock Locks => Services.Get<CountingLock>();

    public static async Task<TokenHub> StartAsync(
        ScriptedOAuthProtocol protocol, InMemoryStateWriter states, FixedClientResolver clients, LogSink? logs = null,
        string? prefix = null, string? rootKey = null, IDictionary<string, string?>? settings = null)
    {
        var services = await HubServices.StartAsync(prefix, rootKey, settings, s =>
        {
            s.AddConnectionTokens();
            // The token service gets the real blob-lease lock through a counter.
            s.AddSingleton(sp => new CountingLock(ActivatorUtilities.CreateInstance<Integrations.Azure.Leases.BlobLeaseLock>(sp,
                sp.GetRequiredService<global::Azure.Storage.Blobs.BlobServiceClient>().GetBlobContainerClient(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Integrations.Azure.Hosting.StorageOptions>>().Value.Prefix + "-locks"))));
            s.AddSingleton<ConnectionTokenService>(sp => ActivatorUtilities.CreateInstance<ConnectionTokenService>(sp, (IDistributedLock)sp.GetRequiredService<CountingLock>()));
            s.AddSingleton<Core.OAuth.Protocol.IOAuthProtocol>(protocol);
            s.AddSingleton<IConnectionStateWriter>(states);
            s.AddSingleton<ITokenClientResolver>(clients);
            if (logs is not null)
            {
                s.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
            }
        });
        return new TokenHub(services);
    }

    /// <summary>A new OAuth connection in a new project of a new organization.</summary>
    public async Task<Connection> NewConnectionAsync(ConnectionType type = ConnectionType.OAuth2AuthorizationCode, IReadOnlyList<string>? scopes = null)
    {
        var (org, project) = await Services.CreateProjectAsync("tokens");
        return new Connection
        {
            Id = Ids.New("con"),
            OrganizationId = org,
            ProjectId = project,
            Name = "c",
            Type = type,
            ProviderId = Ids.New("prv"),
            Scopes = scopes ?? [],
            CreatedBy = "test",
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
            State = ConnectionState.New with { Status = ConnectionStatus.Active },
        };
    }

    /// <summary>Stores a token set as the service would (a vault secret), with the timing a test needs.</summary>
    public async Task SeedAsync(Connection connection, string accessToken, string? refreshToken, TimeSpan expiresIn, TimeSpan refreshIn)
    {
        var now = TimeProvider.System.GetUtcNow();
        var set = new TokenSet
        {
            ConnectionId = connection.Id,
            AccessToken = accessToken,
            TokenType = "Bearer",
            RefreshToken = refreshToken,
            ExpiresAt = now + expiresIn,
            RefreshAt = now + refreshIn,
            Scopes = ["read"],
            IssuedAt = now,
        };
        var project = await Services.ProjectAsync(connection.OrganizationId, connection.ProjectId);
        var created = await Vault.CreateAsync(project, TokenSecrets.NameFor(connection.Id), new SecretInput(set.Serialize(), null, null, SecretAuthTypes.OAuthToken), "test");
        Assert.True(created.IsSuccess, created.Error?.Message);
    }

    /// <summary>The token set as stored now, or null.</summary>
    public async Task<TokenSet?> StoredAsync(Connection connection)
    {
        var revealed = await Vault.RevealAsync(TokenSecrets.LocationOf(connection), null);
        return revealed.IsSuccess ? TokenSet.TryParse(revealed.Value.Value, connection.Id) : null;
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}

/// <summary>Every log line of the hub under test, formatted, to check that none carries a token.</summary>
public sealed class LogSink : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(LogSink sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Lines.Enqueue($"{eventId.Id} {logLevel} {formatter(state, exception)} {exception}");
    }
}
