using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace Integrations.Client.Webhooks;

/// <summary>
/// Verifies a delivery of the hub's outbound webhooks: the Standard Webhooks scheme (<c>webhook-id</c>, <c>webhook-timestamp</c>,
/// <c>webhook-signature</c>; HMAC-SHA256 over <c>{id}.{timestamp}.{body}</c> keyed with the base64 part of a <c>whsec_…</c>
/// secret). Over the raw bytes as received (never re-serialized JSON); every <c>v1,</c> entry of the signature header is
/// tried against every secret given (a rotation's overlap: old and new), compared in constant time; the timestamp must be
/// within the tolerance of now (default 5 minutes) either way, so a captured delivery cannot be replayed later.
/// </summary>
public static class WebhookVerifier
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>The tolerance the Standard Webhooks libraries use.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    private const string SecretPrefix = "whsec_";
    private const int MacLength = 32;

    /// <summary>Verifies with one secret; <paramref name="headers"/> as ASP.NET Core's <c>request.Headers</c> gives them.</summary>
    /// <exception cref="WebhookVerificationException">The delivery is not authentic, or not fresh.</exception>
    public static WebhookEvent Verify(string secret, IEnumerable<KeyValuePair<string, StringValues>> headers, ReadOnlySpan<byte> rawBody, WebhookVerifierOptions? options = null) =>
        Verify([secret], headers, rawBody, options);

    /// <summary>Verifies with any of <paramref name="secrets"/> (old and new during a rotation).</summary>
    public static WebhookEvent Verify(IEnumerable<string> secrets, IEnumerable<KeyValuePair<string, StringValues>> headers, ReadOnlySpan<byte> rawBody, WebhookVerifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        string? Header(string name) => headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value.ToString()).FirstOrDefault();
        return Verify(secrets, Header(IdHeader), Header(TimestampHeader), Header(SignatureHeader), rawBody, options);
    }

    /// <summary>Verifies with one secret; <paramref name="headers"/> of an <see cref="HttpRequestMessage"/> or <see cref="HttpResponseMessage"/>.</summary>
    public static WebhookEvent Verify(string secret, HttpHeaders headers, ReadOnlySpan<byte> rawBody, WebhookVerifierOptions? options = null) =>
        Verify([secret], headers, rawBody, options);

    /// <summary>Verifies with any of <paramref name="secrets"/>; <paramref name="headers"/> of an <see cref="HttpRequestMessage"/>.</summary>
    public static WebhookEvent Verify(IEnumerable<string> secrets, HttpHeaders headers, ReadOnlySpan<byte> rawBody, WebhookVerifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        string? Header(string name) => headers.TryGetValues(name, out var values) ? string.Join(' ', values) : null;
        return Verify(secrets, Header(IdHeader), Header(TimestampHeader), Header(SignatureHeader), rawBody, options);
    }

    /// <summary>Verifies the three header values themselves.</summary>
    public static WebhookEvent Verify(
        IEnumerable<string> secrets, string? id, string? timestamp, string? signature, ReadOnlySpan<byte> rawBody, WebhookVerifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        options ??= new WebhookVerifierOptions();
        var keys = secrets.Select(DecodeSecret).ToList();
        if (keys.Count == 0)
        {
            throw new ArgumentException("At least one secret is needed.", nameof(secrets));
        }

        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            throw new WebhookVerificationException(WebhookVerificationFailure.MissingHeaders,
                $"The delivery lacks {IdHeader}, {TimestampHeader} or {SignatureHeader}.");
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            throw new WebhookVerificationException(WebhookVerificationFailure.InvalidTimestamp, $"{TimestampHeader} is not Unix seconds.");
        }

        var sentAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var now = (options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        if ((now - sentAt).Duration() > options.Tolerance)
        {
            // Checked before the signature, as the reference libraries do: a stale delivery is refused whoever signed it.
            throw new WebhookVerificationException(WebhookVerificationFailure.TimestampOutOfTolerance,
                $"{TimestampHeader} is more than {options.Tolerance.TotalSeconds:F0} s from now.");
        }

        var candidates = Signatures(signature);
        Span<byte> expected = stackalloc byte[MacLength];
        try
        {
            foreach (var key in keys)
            {
                Compute(key, id, timestamp, rawBody, expected);
                foreach (var candidate in candidates)
                {
                    if (CryptographicOperations.FixedTimeEquals(expected, candidate))
                    {
                        return new WebhookEvent(id, sentAt, rawBody.ToArray());
                    }
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expected);
            foreach (var key in keys)
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }

        throw new WebhookVerificationException(WebhookVerificationFailure.NoMatchingSignature, "No v1 signature of the delivery matches a secret.");
    }

    private static byte[] DecodeSecret(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        try
        {
            var key = Convert.FromBase64String(encoded);
            return key.Length > 0 ? key : throw new FormatException();
        }
        catch (FormatException)
        {
            // Never the value: only what form it should have.
            throw new ArgumentException("A webhook secret must be whsec_ followed by base64.", nameof(secret));
        }
    }

    /// <summary>The 32-byte MACs of the header's <c>v1,</c> entries; other versions and malformed entries are skipped.</summary>
    private static List<byte[]> Signatures(string header)
    {
        var macs = new List<byte[]>();
        foreach (var entry in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!entry.StartsWith("v1,", StringComparison.Ordinal))
            {
                continue;
            }

            var mac = new byte[MacLength];
            if (Convert.TryFromBase64String(entry[3..], mac, out var written) && written == MacLength)
            {
                macs.Add(mac);
            }
        }

        return macs;
    }

    private static void Compute(byte[] key, string id, string timestamp, ReadOnlySpan<byte> body, Span<byte> mac)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(id + "." + timestamp + "."));
        hmac.AppendData(body);
        hmac.GetHashAndReset(mac);
    }
}

/// <summary>Settings of a verification: the tolerance window and the clock (for tests).</summary>
public sealed record WebhookVerifierOptions
{
    /// <summary>How far <c>webhook-timestamp</c> may be from now, either way (default 5 minutes).</summary>
    public TimeSpan Tolerance { get; init; } = WebhookVerifier.DefaultTolerance;

    public TimeProvider? TimeProvider { get; init; }
}

/// <summary>A verified delivery: its id (the same on every attempt: deduplicate by it), when it was sent, and its body.</summary>
public sealed class WebhookEvent(string id, DateTimeOffset timestamp, byte[] body)
{
    public string Id { get; } = id;

    public DateTimeOffset Timestamp { get; } = timestamp;

    /// <summary>The body as received.</summary>
    public ReadOnlyMemory<byte> Body { get; } = body;

    /// <summary>The event type (the body's <c>type</c>), when the body is a JSON object with one.</summary>
    public string? Type
    {
        get
        {
            try
            {
                using var document = JsonDocument.Parse(Body);
                return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("type", out var type)
                    && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>The body as <typeparamref name="T"/> (snake_case JSON, as the hub writes it).</summary>
    public T? Deserialize<T>() => JsonSerializer.Deserialize<T>(Body.Span, HubTransport.Json);
}

/// <summary>Why a delivery was refused.</summary>
public enum WebhookVerificationFailure
{
    MissingHeaders,
    InvalidTimestamp,
    TimestampOutOfTolerance,
    NoMatchingSignature,
}

/// <summary>A webhook delivery failed verification: answer it with 400 (or 401) and do not act on it.</summary>
public sealed class WebhookVerificationException : Exception
{
    public WebhookVerificationException()
    {
    }

    public WebhookVerificationException(string message)
        : base(message)
    {
    }

    public WebhookVerificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WebhookVerificationException(WebhookVerificationFailure failure, string message)
        : base(message) => Failure = failure;

    public WebhookVerificationFailure Failure { get; }
}
