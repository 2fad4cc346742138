using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Integrations.Azure.Tests.KeyVault;

/// <summary>The request handling of <see cref="KeyVaultContractServer"/>, in the order Key Vault applies it.</summary>
public sealed partial class KeyVaultContractServer
{
    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var recorded = new RecordedRequest(request.Method, request.Host.Value ?? string.Empty, request.Path.Value ?? string.Empty,
            request.QueryString.Value ?? string.Empty, request.Headers.Authorization.FirstOrDefault(), body.Length);
        _requests.Enqueue(recorded);

        // Path: /keys/{name}[/{version}][/{operation}]
        var segments = (request.Path.Value ?? string.Empty).Trim('/').Split('/');
        var name = segments.Length >= 2 && segments[0] == "keys" ? segments[1] : string.Empty;
        _keys.TryGetValue(name, out var key);

        var (status, json) = Answer(context, request, segments, name, key, body);
        recorded.Status = status;
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    private static (int Status, string Json) Answer(HttpContext context, HttpRequest request, string[] segments, string name, ContractKey? key, byte[] body)
    {
        // Throttling comes first: Key Vault answers 429 with Retry-After (https://learn.microsoft.com/azure/key-vault/general/overview-throttling).
        if (key is not null && Interlocked.Decrement(ref key.ThrottleRemaining) >= 0)
        {
            context.Response.Headers.RetryAfter = "0";
            return Error(429, "Throttled", "Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached");
        }

        if (request.Headers.Authorization.FirstOrDefault() != $"Bearer {AccessToken}")
        {
            context.Response.Headers.WWWAuthenticate = key?.Challenge ?? DefaultChallenge;
            return Error(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
        }

        if (request.Query["api-version"] != ApiVersion)
        {
            return Error(400, "BadParameter", "The specified version of the API is not supported or the api-version parameter is missing.");
        }

        if (key?.MalformedBody is { } malformed)
        {
            key.MalformedBody = null;
            return (200, malformed);
        }

        // segments: keys, name, [version], [operation]
        var operation = segments.Length switch
        {
            2 => "get",
            3 when segments[2] is "wrapkey" or "unwrapkey" => segments[2],
            3 => "get",
            4 => segments[3],
            _ => "unknown",
        };
        var version = segments.Length == 4 || (segments.Length == 3 && operation == "get") ? segments[2] : null;
        var keyVersion = key?.Find(version);
        if (key is null || keyVersion is null)
        {
            return Error(404, "KeyNotFound",
                $"A key with (name/id) {name}{(version is null ? string.Empty : "/" + version)} was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182");
        }

        var kid = $"https://{request.Host.Value}/keys/{name}/{keyVersion.Version}";
        return (request.Method, operation) switch
        {
            ("GET", "get") => (200, KeyBundle(kid, key, keyVersion.Rsa)),
            ("POST", "wrapkey") => Transform(body, input => keyVersion.Rsa.Encrypt(input, RSAEncryptionPadding.OaepSHA256), kid),
            ("POST", "unwrapkey") => Transform(body, input => keyVersion.Rsa.Decrypt(input, RSAEncryptionPadding.OaepSHA256), kid),
            _ => Error(405, "MethodNotAllowed", $"{request.Method} {operation} is not supported."),
        };
    }

    /// <summary>wrapkey / unwrapkey: <c>{"alg":"RSA-OAEP-256","value":"&lt;base64url&gt;"}</c> in, <c>{"kid":…,"value":…}</c> out.</summary>
    private static (int, string) Transform(byte[] body, Func<byte[], byte[]> transform, string kid)
    {
        string? alg;
        byte[] input;
        try
        {
            using var document = JsonDocument.Parse(body);
            alg = document.RootElement.GetProperty("alg").GetString();
            input = Base64Url.DecodeFromChars(document.RootElement.GetProperty("value").GetString());
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return Error(400, "BadParameter", "Property 'alg' and 'value' are required; 'value' must be base64url.");
        }

        if (alg != "RSA-OAEP-256")
        {
            return Error(400, "BadParameter", "Invalid algorithm.");
        }

        try
        {
            return (200, JsonSerializer.Serialize(new { kid, value = Base64Url.EncodeToString(transform(input)) }));
        }
        catch (CryptographicException)
        {
            return Error(400, "BadParameter", "Error occurred while performing the cryptographic operation.");
        }
    }

    private static string KeyBundle(string kid, ContractKey key, RSA rsa)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        return JsonSerializer.Serialize(new
        {
            key = new
            {
                kid,
                kty = "RSA",
                key_ops = key.Operations,
                n = Base64Url.EncodeToString(parameters.Modulus),
                e = Base64Url.EncodeToString(parameters.Exponent),
            },
            attributes = new { enabled = key.Enabled, recoveryLevel = "Recoverable+Purgeable" },
        });
    }

    private static (int, string) Error(int status, string code, string message) =>
        (status, JsonSerializer.Serialize(new { error = new { code, message } }));

    /// <summary>A key: its versions (the last is current) and what the next requests for it should get.</summary>
    private sealed class ContractKey : IDisposable
    {
        private readonly List<KeyVersion> _versions = [];
        public int ThrottleRemaining;

        public bool Enabled { get; init; }

        public required string[] Operations { get; init; }

        public string? MalformedBody { get; set; }

        public string? Challenge { get; set; }

        public KeyVersion Current
        {
            get
            {
                lock (_versions)
                {
                    return _versions[^1];
                }
            }
        }

        public string AddVersion()
        {
            // Key Vault versions are 32 lower-case hex digits.
            var version = new KeyVersion(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), RSA.Create(2048));
            lock (_versions)
            {
                _versions.Add(version);
            }

            return version.Version;
        }

        /// <summary>The named version, or the current one when <paramref name="version"/> is null.</summary>
        public KeyVersion? Find(string? version)
        {
            lock (_versions)
            {
                return version is null ? _versions[^1] : _versions.Find(v => v.Version == version);
            }
        }

        public void Dispose()
        {
            lock (_versions)
            {
                _versions.ForEach(v => v.Rsa.Dispose());
            }
        }
    }

    private sealed record KeyVersion(string Version, RSA Rsa);
}
