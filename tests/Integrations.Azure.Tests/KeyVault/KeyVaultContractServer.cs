using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;
using Integrations.Azure.KeyVault;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Azure.Tests.KeyVault;

/// <summary>
/// A loopback stand-in for Azure Key Vault that follows the keys REST contract the wrapper relies on
/// (https://learn.microsoft.com/rest/api/keyvault/keys, api-version 2025-07-01): challenge-based authentication,
/// wrapkey/unwrapkey with real RSA-2048 keys and RSA-OAEP-256, versioned key ids, error bodies. Started once per
/// test class (<see cref="IClassFixture{TFixture}"/>); every test creates its own key, so tests do not share state.
/// </summary>
/// <remarks>
/// Why TLS and a host name: Azure.Core refuses bearer tokens over plain http, and the wrapper checks that the
/// challenge's resource (https://vault.azure.net) is a domain suffix of the vault host, as the Key Vault SDK does.
/// So the server listens on https://127.0.0.1:{port} with a throw-away self-signed certificate for
/// <see cref="VaultHost"/>, and the client transport from <see cref="CreateClientOptions"/> dials 127.0.0.1 for any host
/// name and trusts exactly that certificate. No DNS, no network.
/// </remarks>
public sealed partial class KeyVaultContractServer : IAsyncLifetime
{
    public const string VaultHost = "hubvault.vault.azure.net";
    public const string AccessToken = "contract-test-access-token";
    public const string TenantId = "7a1c3f52-93d4-4b1e-9f0e-2d5b8c6a4e10";
    public const string ApiVersion = "2025-07-01";

    /// <summary>The challenge Key Vault sends (https://learn.microsoft.com/azure/key-vault/general/authentication-requests-and-responses).</summary>
    public static readonly string DefaultChallenge =
        $"Bearer authorization=\"https://login.microsoftonline.com/{TenantId}\", resource=\"https://vault.azure.net\"";

    private readonly ConcurrentDictionary<string, ContractKey> _keys = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentBag<IDisposable> _transports = [];
    private X509Certificate2? _certificate;
    private WebApplication? _app;

    public int Port { get; private set; }

    /// <summary>Every request the server received, in order.</summary>
    public IReadOnlyCollection<RecordedRequest> Requests => _requests;

    /// <summary>The unversioned key URI to configure, e.g. <c>https://hubvault.vault.azure.net/keys/{name}</c>.</summary>
    public static Uri KeyId(string name) => new($"https://{VaultHost}/keys/{name}");

    /// <summary>The versioned key id Key Vault reports for <paramref name="name"/> at <paramref name="version"/>.</summary>
    public static string Kid(string name, string version) => $"https://{VaultHost}/keys/{name}/{version}";

    public async Task InitializeAsync()
    {
        _certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(_certificate)));
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Port = new Uri(address).Port;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        foreach (var transport in _transports)
        {
            transport.Dispose();
        }

        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }

        _certificate?.Dispose();
    }

    /// <summary>Creates a key with one version and returns its (unique) name.</summary>
    public string CreateKey(bool enabled = true, string[]? operations = null)
    {
        var name = "key-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var key = new ContractKey { Enabled = enabled, Operations = operations ?? ["wrapKey", "unwrapKey"] };
        key.AddVersion();
        _keys[name] = key;
        return name;
    }

    /// <summary>Rotates the key: a new version becomes current; earlier versions keep working. Returns the new version.</summary>
    public string RotateKey(string name) => _keys[name].AddVersion();

    public string CurrentVersion(string name) => _keys[name].Current.Version;

    /// <summary>What wrapkey would return for <paramref name="value"/> under the current version (to build a legacy, bare-key wrap).</summary>
    public byte[] Encrypt(string name, byte[] value) => _keys[name].Current.Rsa.Encrypt(value, RSAEncryptionPadding.OaepSHA256);

    /// <summary>What unwrapkey would return: to check what the wrapper actually wrapped.</summary>
    public byte[] Decrypt(string name, byte[] wrapped) => _keys[name].Current.Rsa.Decrypt(wrapped, RSAEncryptionPadding.OaepSHA256);

    /// <summary>The next <paramref name="count"/> requests for the key are answered 429 with <c>Retry-After: 0</c>.</summary>
    public void ThrottleNext(string name, int count) => _keys[name].ThrottleRemaining = count;

    /// <summary>The next request for the key that passes authentication is answered 200 with <paramref name="body"/>.</summary>
    public void RespondMalformedNext(string name, string body) => _keys[name].MalformedBody = body;

    /// <summary>Replaces the <c>WWW-Authenticate</c> challenge sent for requests to the key.</summary>
    public void SetChallenge(string name, string challenge) => _keys[name].Challenge = challenge;

    /// <summary>The requests whose path names the key.</summary>
    public IReadOnlyList<RecordedRequest> RequestsFor(string name) =>
        [.. _requests.Where(r => r.Path.StartsWith($"/keys/{name}", StringComparison.OrdinalIgnoreCase))];

    /// <summary>
    /// Pipeline options whose transport dials this server for any host name and trusts only its certificate. Retries are
    /// fast so throttling tests take milliseconds. <paramref name="dialedHosts"/> records every host a connection was opened for.
    /// </summary>
    public KeyVaultClientOptions CreateClientOptions(ConcurrentQueue<string>? dialedHosts = null)
    {
        var transport = new HttpClientTransport(CreateHandler(dialedHosts));
        _transports.Add(transport);
        var options = new KeyVaultClientOptions { Transport = transport };
        options.Retry.Mode = global::Azure.Core.RetryMode.Fixed;
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        return options;
    }

    /// <summary>A raw HTTP client to the server, for tests of the contract itself.</summary>
    public HttpClient CreateHttpClient()
    {
        var client = new HttpClient(CreateHandler(dialedHosts: null)) { BaseAddress = new Uri($"https://{VaultHost}") };
        _transports.Add(client);
        return client;
    }

    private SocketsHttpHandler CreateHandler(ConcurrentQueue<string>? dialedHosts)
    {
        var pinned = _certificate!.GetCertHashString(HashAlgorithmName.SHA256);
        return new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                dialedHosts?.Enqueue(context.DnsEndPoint.Host);
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                // Trust exactly this server's certificate: its chain is self-signed, but the name must still match.
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    certificate is not null && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
                    && string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), pinned, StringComparison.OrdinalIgnoreCase),
            },
        };
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={VaultHost}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(VaultHost);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = TimeProvider.System.GetUtcNow();
        using var ephemeral = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        // A PKCS#12 round trip gives a certificate whose private key every TLS stack accepts.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), password: null);
    }
}

/// <summary>One request as the server saw it, and the status it answered.</summary>
public sealed record RecordedRequest(string Method, string Host, string Path, string Query, string? Authorization, int BodyLength)
{
    public int Status { get; set; }
}
