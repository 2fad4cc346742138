using System.Security.Cryptography;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Integrations.Core.Crypto;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Integrations.Azure.KeyVault;

/// <summary>
/// Production root wrapper: an RSA key in Azure Key Vault wraps the hub's KEKs with RSA-OAEP-256, through the
/// keys REST API (api-version 2025-07-01) over an Azure.Core pipeline — retries with back-off and <c>Retry-After</c>,
/// and Key Vault's challenge-based authentication with the injected <see cref="TokenCredential"/>.
/// Wrapping uses the key's current version and returns the versioned <c>kid</c> that Key Vault reports, to be stored
/// next to the wrapped key; unwrapping sends the request to that version on the configured vault only, so KEKs wrapped
/// before a key rotation still open. <see cref="GetCurrentKeyIdAsync"/> reads the current version's <c>kid</c> with GET key,
/// so a root rotation learns which records are out of date without wrapping anything.
/// The identity needs the "Key Vault Crypto User" role (get, wrapKey, unwrapKey).
/// RSA-OAEP has no associated data, so what is wrapped is a small structure that binds the key to its purpose and record
/// (<see cref="KeyBinding"/>): <c>[format 2][purpose][n][record id, n ASCII bytes][key]</c>, checked on unwrap, so a wrap
/// copied into another key record is refused. Legacy (format 1) wraps are the bare key.
/// </summary>
/// <remarks>
/// Failures throw <see cref="RequestFailedException"/> carrying Key Vault's status and error code (for example
/// <c>KeyNotFound</c>, <c>Forbidden</c>), or <c>MalformedResponse</c> when a success response cannot be read. No exception
/// or log event contains key material or a token.
/// </remarks>
public sealed class KeyVaultRootKeyWrapper : IRootKeyWrapper
{
    /// <summary>The <see cref="RequestFailedException.ErrorCode"/> of a success response whose body cannot be read.</summary>
    public const string MalformedResponseCode = "MalformedResponse";

    private readonly KeyVaultKeyId _key;
    private readonly HttpPipeline _pipeline;
    private readonly ILogger _logger;

    /// <summary>Creates the wrapper for <see cref="KeyWrappingOptions.KeyId"/>, an unversioned https key URI.</summary>
    /// <param name="options">The key wrapping options; <see cref="KeyWrappingOptions.KeyId"/> is required.</param>
    /// <param name="credential">Entra ID credential (<c>DefaultAzureCredential</c> in production). The scope and tenant come from the vault's challenge.</param>
    /// <param name="logger">Optional logger.</param>
    /// <param name="clientOptions">Optional retry, transport and diagnostics settings; Azure.Core defaults otherwise.</param>
    /// <exception cref="InvalidOperationException">The key URI is missing, not https, or names a version.</exception>
    public KeyVaultRootKeyWrapper(
        IOptions<KeyWrappingOptions> options,
        TokenCredential credential,
        ILogger<KeyVaultRootKeyWrapper>? logger = null,
        KeyVaultClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        _key = KeyVaultKeyId.Parse(options.Value.KeyId);
        _logger = logger ?? NullLogger<KeyVaultRootKeyWrapper>.Instance;
        _pipeline = HttpPipelineBuilder.Build(
            clientOptions ?? new KeyVaultClientOptions(),
            perCallPolicies: [],
            perRetryPolicies: [new KeyVaultChallengeAuthenticationPolicy(credential)],
            responseClassifier: new ResponseClassifier());
    }

    /// <inheritdoc />
    /// <remarks><c>POST {vault}/keys/{name}/wrapkey</c>: the key's current version (https://learn.microsoft.com/rest/api/keyvault/keys/wrap-key/wrap-key).</remarks>
    public async Task<WrappedKey> WrapAsync(ReadOnlyMemory<byte> key, KeyBinding binding, CancellationToken cancellationToken = default)
    {
        if (key.IsEmpty)
        {
            throw new ArgumentException("The key to wrap is empty.", nameof(key));
        }

        var bound = BindKey(key.Span, binding);
        byte[] body;
        try
        {
            body = KeyVaultProtocol.CreateKeyOperationBody(bound);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bound);
        }

        try
        {
            var result = await SendAsync("wrapKey", RequestMethod.Post, _key.KeyUri("wrapkey"), body, KeyVaultProtocol.ReadKeyOperationResult, cancellationToken)
                .ConfigureAwait(false);

            // The stored kid is what unwrap trusts later: it must name a version of this very key.
            return _key.TryGetVersion(result.Kid, out _)
                ? new WrappedKey(result.Kid, result.Value, WrappedKey.BoundFormat)
                : throw Malformed("wrapKey", 200, "'kid' is not a version of the configured key.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(body);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>POST {vault}/keys/{name}/{version}/unwrapkey</c> with the version of the stored <c>kid</c>
    /// (https://learn.microsoft.com/rest/api/keyvault/keys/unwrap-key/unwrap-key). The URI is built from the configured
    /// vault: a <c>kid</c> naming another host, scheme, port or key is refused before anything is sent.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The root key id is not a version of the configured key.</exception>
    /// <exception cref="SecretIntegrityException">The unwrapped structure is not bound to <paramref name="binding"/>.</exception>
    public async Task<byte[]> UnwrapAsync(WrappedKey wrapped, KeyBinding binding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        if (wrapped.Format is not (WrappedKey.BoundFormat or WrappedKey.LegacyFormat))
        {
            throw new SecretIntegrityException($"The wrapped key has an unknown format ({wrapped.Format}).");
        }

        if (!_key.TryGetVersion(wrapped.RootKeyId, out var version))
        {
            var shown = wrapped.RootKeyId.Length > 200 ? wrapped.RootKeyId[..200] + "…" : wrapped.RootKeyId;
            Log.ForeignRootKeyRefused(_logger, shown, _key.Display);
            throw new InvalidOperationException(
                $"The key is wrapped by root key '{shown}', which is not a version of the configured Key Vault key {_key.Display}; no request was sent. Check KeyWrapping:KeyId.");
        }

        if (wrapped.Ciphertext.Length == 0)
        {
            throw new ArgumentException("The wrapped key is empty.", nameof(wrapped));
        }

        var body = KeyVaultProtocol.CreateKeyOperationBody(wrapped.Ciphertext);
        var result = await SendAsync("unwrapKey", RequestMethod.Post, _key.VersionUri(version, "unwrapkey"), body, KeyVaultProtocol.ReadKeyOperationResult, cancellationToken)
            .ConfigureAwait(false);
        return wrapped.Format == WrappedKey.LegacyFormat ? result.Value : UnbindKey(result.Value, binding);
    }

    /// <summary><c>[format 2][purpose][n][record id][key]</c>; the caller zeroes it.</summary>
    internal static byte[] BindKey(ReadOnlySpan<byte> key, KeyBinding binding)
    {
        var id = binding.RecordIdBytes();
        var bound = new byte[3 + id.Length + key.Length];
        bound[0] = WrappedKey.BoundFormat;
        bound[1] = binding.PurposeCode;
        bound[2] = (byte)id.Length;
        id.CopyTo(bound, 3);
        key.CopyTo(bound.AsSpan(3 + id.Length));
        return bound;
    }

    /// <summary>Checks the structure against <paramref name="binding"/> and returns the key; zeroes <paramref name="bound"/>.</summary>
    internal static byte[] UnbindKey(byte[] bound, KeyBinding binding)
    {
        try
        {
            var id = binding.RecordIdBytes();
            var keyOffset = 3 + id.Length;
            if (bound.Length <= keyOffset || bound[0] != WrappedKey.BoundFormat || bound[1] != binding.PurposeCode || bound[2] != id.Length
                || !bound.AsSpan(3, id.Length).SequenceEqual(id))
            {
                // Only the binding is described, never the bytes: they hold key material.
                throw new SecretIntegrityException(
                    $"The wrapped key is not bound to {binding.Purpose} record '{binding.RecordId}': it was altered or copied from another key record.");
            }

            return bound[keyOffset..];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bound);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>GET {vault}/keys/{name}</c> without a version answers with the current version, whose versioned <c>kid</c> is
    /// the one wrapkey reports (https://learn.microsoft.com/rest/api/keyvault/keys/get-key/get-key). Nothing is wrapped.
    /// </remarks>
    /// <exception cref="RequestFailedException">Key Vault cannot be reached or refused the request (e.g. <c>KeyNotFound</c>).</exception>
    public async Task<string> GetCurrentKeyIdAsync(CancellationToken cancellationToken = default) =>
        (await GetKeyAsync(cancellationToken).ConfigureAwait(false)).Kid;

    /// <inheritdoc />
    /// <remarks><c>GET {vault}/keys/{name}</c>: the key exists, is enabled and permits wrapKey and unwrapKey (https://learn.microsoft.com/rest/api/keyvault/keys/get-key/get-key).</remarks>
    /// <exception cref="RequestFailedException">Key Vault cannot be reached or refused the request (e.g. <c>KeyNotFound</c>).</exception>
    /// <exception cref="InvalidOperationException">The key is disabled or does not permit wrapKey and unwrapKey.</exception>
    public async Task CheckAsync(CancellationToken cancellationToken = default)
    {
        var bundle = await GetKeyAsync(cancellationToken).ConfigureAwait(false);
        if (!bundle.Enabled)
        {
            throw new InvalidOperationException($"The Key Vault key {_key.Display} is disabled.");
        }

        if (bundle.Operations is { } operations && !(operations.Contains("wrapKey") && operations.Contains("unwrapKey")))
        {
            throw new InvalidOperationException($"The Key Vault key {_key.Display} does not permit both wrapKey and unwrapKey (key_ops).");
        }
    }

    /// <summary>The key's current version as GET key describes it; its <c>kid</c> is checked to name a version of the configured key.</summary>
    private async Task<KeyBundle> GetKeyAsync(CancellationToken cancellationToken)
    {
        var bundle = await SendAsync("getKey", RequestMethod.Get, _key.KeyUri(), body: null, KeyVaultProtocol.ReadKeyBundle, cancellationToken)
            .ConfigureAwait(false);
        return _key.TryGetVersion(bundle.Kid, out _)
            ? bundle
            : throw Malformed("getKey", 200, "'key.kid' is not a version of the configured key.");
    }

    private async Task<T> SendAsync<T>(string operation, RequestMethod method, Uri uri, byte[]? body, ReadBody<T> read, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(uri);
        request.Uri.AppendQuery("api-version", KeyVaultProtocol.ApiVersion);
        request.Headers.SetValue(HttpHeader.Names.Accept, "application/json");
        if (body is not null)
        {
            request.Headers.SetValue(HttpHeader.Names.ContentType, "application/json");
            request.Content = RequestContent.Create(body.AsMemory());
        }

        try
        {
            await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RequestFailed(_logger, operation, _key.Display, ex);
            throw;
        }

        var response = message.Response;
        var content = response.Content.ToMemory().Span;
        if (response.IsError)
        {
            throw Failed(operation, response.Status, KeyVaultProtocol.ReadError(content));
        }

        try
        {
            return read(content);
        }
        catch (FormatException ex)
        {
            throw Malformed(operation, response.Status, ex.Message);
        }
    }

    private RequestFailedException Failed(string operation, int status, KeyVaultError error)
    {
        Log.ErrorResponse(_logger, operation, _key.Display, status, error.Code);

        // Key Vault's messages describe the request ("A key with (name/id) … was not found"), never its payload;
        // the length cap keeps an unexpected proxy page out of logs and problem details.
        var detail = error.Message is { Length: > 300 } text ? text[..300] + "…" : error.Message ?? "no error body";
        var inner = error.InnerCode is null ? string.Empty : $" [{error.InnerCode}]";
        return new RequestFailedException(status, $"Key Vault {operation} with {_key.Display} failed: HTTP {status} {error.Code}{inner}: {detail}", error.Code, null);
    }

    private RequestFailedException Malformed(string operation, int status, string reason)
    {
        Log.MalformedResponse(_logger, operation, _key.Display, status, reason);
        return new RequestFailedException(status, $"Key Vault {operation} with {_key.Display} returned a malformed response: {reason}", MalformedResponseCode, null);
    }

    private delegate T ReadBody<out T>(ReadOnlySpan<byte> json);
}
