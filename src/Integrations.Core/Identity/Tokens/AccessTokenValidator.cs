using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity.Tokens;

/// <summary>
/// Validates user access tokens, pinned to what <see cref="AccessTokenIssuer"/> writes and nothing else (RFC 8725 §3.1):
/// exactly three unpadded base64url segments; a header that is exactly <c>{"alg":"ES256","kid":…,"typ":"at+jwt"}</c>
/// with a kid this hub publishes (so <c>none</c>, HS256 keyed with the public key, RS256 or an embedded <c>jwk</c> never
/// reach a verifier); a 64-byte P1363 signature verified with that key; then <c>iss</c>, <c>aud</c>, the lifetime
/// (<c>iat</c>, <c>exp</c> within <see cref="AccessTokenOptions.ClockSkew"/>, and no longer apart than the configured
/// lifetime) and the required claims. Hand-written over spans rather than a general JWT library: the accepted form is one
/// shape, and the per-request cost stays a signature verification plus two small JSON reads.
/// Refusals are values (<see cref="AccessTokenFailure"/>) and are logged by reason only, never with the token.
/// A token that verified is remembered (<see cref="AccessTokenOptions.VerifiedTokenCacheSize"/>): the ES256 verification
/// (about 30–60 µs) is paid once per token per instance, not once per request.
/// </summary>
public sealed partial class AccessTokenValidator
{
    /// <summary>Longer than any token the issuer writes (about 450 characters) with room for long ids; longer ones are refused unread.</summary>
    public const int MaxTokenLength = 4096;

    private const int SignatureChars = 86; // 64 bytes, unpadded base64url.
    private const int SignatureBytes = 64;
    private const int MaxHeaderChars = 256;
    private const int StackLimit = 1024;
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    private readonly AccessTokenSigningKeys _keys;
    private readonly TimeProvider _time;
    private readonly ILogger<AccessTokenValidator> _logger;
    private readonly byte[] _issuer;
    private readonly byte[] _audience;
    private readonly long _lifetimeSeconds;
    private readonly long _skewSeconds;
    private readonly int _cacheSize;
    private readonly ConcurrentDictionary<string, AccessTokenPrincipal> _verified = new(StringComparer.Ordinal);

    public AccessTokenValidator(AccessTokenSigningKeys keys, IOptions<AccessTokenOptions> options, TimeProvider time, ILogger<AccessTokenValidator> logger)
    {
        _keys = keys;
        _time = time;
        _logger = logger;
        var settings = options.Value;
        _issuer = Encoding.UTF8.GetBytes(settings.Issuer
            ?? throw new InvalidOperationException("Auth:Issuer is required to validate access tokens: set it, or Hub:PublicBaseUrl, which it defaults to."));
        _audience = Encoding.UTF8.GetBytes(settings.Audience);
        _lifetimeSeconds = (long)settings.AccessTokenLifetime.TotalSeconds;
        _skewSeconds = (long)settings.ClockSkew.TotalSeconds;
        _cacheSize = settings.VerifiedTokenCacheSize;
    }

    /// <summary>Validates <paramref name="token"/> (the compact JWS, without the <c>Bearer </c> prefix).</summary>
    public ValueTask<AccessTokenValidationResult> ValidateAsync(string? token, CancellationToken cancellationToken = default)
    {
        // A token verified before (the exact string, so nothing unverified can match) skips the signature, not the clock:
        // lifetime is checked again, and its key must still be one this hub accepts.
        if (token is not null && _verified.TryGetValue(token, out var seen))
        {
            var now = _time.GetUtcNow();
            if (now < seen.ExpiresAt.AddSeconds(_skewSeconds) && _keys.TryGetFresh(out var held) && held.ById.ContainsKey(seen.KeyId))
            {
                return ValueTask.FromResult(AccessTokenValidationResult.Success(seen));
            }

            _verified.TryRemove(token, out _);
        }

        if (!TryReadHeader(token, out var kid, out var failure))
        {
            return ValueTask.FromResult(Refuse(failure));
        }

        // The hot path: a fresh key set that holds the kid answers without waiting.
        if (_keys.TryGetFresh(out var set) && set.ById.TryGetValue(kid, out var key))
        {
            return ValueTask.FromResult(Finish(token!, key));
        }

        return Slow(token!, kid, set, cancellationToken);

        async ValueTask<AccessTokenValidationResult> Slow(string token, string kid, AccessTokenKeySet? held, CancellationToken ct)
        {
            // A stale set is read again; an unknown kid reads the set again at most once a second (another instance may
            // have just rotated), so a flood of made-up kids costs no more than that.
            var fresh = held is null
                ? await _keys.GetAsync(ct).ConfigureAwait(false)
                : await _keys.RefreshForUnknownKidAsync(ct).ConfigureAwait(false);
            return fresh.ById.TryGetValue(kid, out var found) ? Finish(token, found) : Refuse(AccessTokenFailure.UnknownKey);
        }
    }

    private AccessTokenValidationResult Finish(string token, SigningKey key)
    {
        var failure = Verify(token, key, out var principal);
        if (failure != AccessTokenFailure.None)
        {
            return Refuse(failure);
        }

        Remember(token, principal!);
        return AccessTokenValidationResult.Success(principal!);
    }

    private void Remember(string token, AccessTokenPrincipal principal)
    {
        if (_cacheSize == 0)
        {
            return;
        }

        if (_verified.Count >= _cacheSize)
        {
            // Bounded: drop what has expired; if every entry is still alive, start over (a re-verification costs one signature).
            var now = _time.GetUtcNow();
            foreach (var (cached, entry) in _verified)
            {
                if (now >= entry.ExpiresAt.AddSeconds(_skewSeconds))
                {
                    _verified.TryRemove(cached, out _);
                }
            }

            if (_verified.Count >= _cacheSize)
            {
                _verified.Clear();
            }
        }

        _verified.TryAdd(token, principal);
    }

    private AccessTokenValidationResult Refuse(AccessTokenFailure failure)
    {
        // Forgery attempts are worth seeing; expired and malformed tokens are routine (a client with an old token).
        var level = failure is AccessTokenFailure.BadSignature or AccessTokenFailure.AlgorithmNotAllowed or AccessTokenFailure.UnknownKey
            or AccessTokenFailure.WrongIssuer or AccessTokenFailure.WrongAudience
            ? LogLevel.Information
            : LogLevel.Debug;
        Log.Refused(_logger, level, failure);
        return AccessTokenValidationResult.Refused(failure);
    }

    /// <summary>Checks the token's shape and reads its header: alg must be ES256, typ at+jwt, and a kid present.</summary>
    private static bool TryReadHeader(string? token, out string kid, out AccessTokenFailure failure)
    {
        kid = "";
        failure = AccessTokenFailure.Malformed;
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength || token.AsSpan().IndexOfAnyExcept(TokenChars) >= 0)
        {
            return false; // Also refuses '=' padding and any whitespace.
        }

        var span = token.AsSpan();
        var first = span.IndexOf('.');
        if (first <= 0)
        {
            return false;
        }

        var rest = span[(first + 1)..];
        var second = rest.IndexOf('.');
        if (second <= 0 || rest[(second + 1)..].IndexOf('.') >= 0 || second + 1 == rest.Length)
        {
            return false; // Exactly three non-empty segments.
        }

        var headerChars = span[..first];
        if (headerChars.Length > MaxHeaderChars)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[MaxHeaderChars];
        if (Base64Url.DecodeFromChars(headerChars, header, out var consumed, out var written) != OperationStatus.Done || consumed != headerChars.Length)
        {
            return false;
        }

        string? alg = null, typ = null, keyId = null;
        try
        {
            var reader = new Utf8JsonReader(header[..written]);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                ref var slot = ref alg;
                if (reader.ValueTextEquals("alg"u8))
                {
                    slot = ref alg;
                }
                else if (reader.ValueTextEquals("typ"u8))
                {
                    slot = ref typ;
                }
                else if (reader.ValueTextEquals("kid"u8))
                {
                    slot = ref keyId;
                }
                else
                {
                    return false; // No other header parameter (jwk, jku, x5u, crit …) is ever written, so none is accepted.
                }

                if (slot is not null || !reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return false; // Duplicate, or not a string.
                }

                slot = reader.GetString();
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }

        if (alg != "ES256")
        {
            failure = AccessTokenFailure.AlgorithmNotAllowed;
            return false;
        }

        if (typ != "at+jwt")
        {
            failure = AccessTokenFailure.WrongType;
            return false;
        }

        if (string.IsNullOrEmpty(keyId))
        {
            return false;
        }

        kid = keyId;
        failure = AccessTokenFailure.None;
        return true;
    }

    private AccessTokenFailure Verify(string token, SigningKey key, out AccessTokenPrincipal? principal)
    {
        principal = null;
        var span = token.AsSpan();
        var first = span.IndexOf('.');
        var second = first + 1 + span[(first + 1)..].IndexOf('.');

        // The header must be byte for byte the one this key signs under: one encoding, one member order, nothing added.
        if (!span[..first].SequenceEqual(key.EncodedHeader))
        {
            return AccessTokenFailure.Malformed;
        }

        var signatureChars = span[(second + 1)..];
        Span<byte> signature = stackalloc byte[SignatureBytes];
        // 86 characters carry 516 bits for 512: the last character's low 4 bits must be zero (one encoding per signature).
        if (signatureChars.Length != SignatureChars || (Base64Value(signatureChars[^1]) & 0x0F) != 0
            || Base64Url.DecodeFromChars(signatureChars, signature, out _, out var signatureLength) != OperationStatus.Done
            || signatureLength != SignatureBytes)
        {
            return AccessTokenFailure.Malformed;
        }

        var signingInputChars = span[..second];
        byte[]? rented = null;
        Span<byte> signingInput = signingInputChars.Length <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(signingInputChars.Length));
        try
        {
            var inputLength = Encoding.ASCII.GetBytes(signingInputChars, signingInput);
            if (!key.Key.VerifyData(signingInput[..inputLength], signature, HashAlgorithmName.SHA256))
            {
                return AccessTokenFailure.BadSignature;
            }

            // The payload is now known to be ours (or a key holder's); it is decoded into the same buffer.
            var payloadChars = span[(first + 1)..second];
            if (Base64Url.DecodeFromChars(payloadChars, signingInput, out var consumed, out var payloadLength) != OperationStatus.Done
                || consumed != payloadChars.Length)
            {
                return AccessTokenFailure.Malformed;
            }

            return ReadClaims(signingInput[..payloadLength], key.Id, out principal);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private AccessTokenFailure ReadClaims(ReadOnlySpan<byte> payload, string keyId, out AccessTokenPrincipal? principal)
    {
        principal = null;
        string? sub = null, org = null, role = null, sid = null, jti = null;
        long? iat = null, exp = null;
        bool hasIss = false, hasAud = false, issOk = false, audOk = false;
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return AccessTokenFailure.Malformed;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("iss"u8))
                {
                    if (hasIss || !reader.Read())
                    {
                        return AccessTokenFailure.Malformed;
                    }

                    hasIss = true;
                    issOk = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(_issuer);
                }
                else if (reader.ValueTextEquals("aud"u8))
                {
                    if (hasAud || !reader.Read())
                    {
                        return AccessTokenFailure.Malformed;
                    }

                    // The issuer writes one audience as a string; an array is not this hub's token.
                    hasAud = true;
                    audOk = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(_audience);
                    if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("sub"u8) ? !ReadString(ref reader, ref sub)
                    : reader.ValueTextEquals("org"u8) ? !ReadString(ref reader, ref org)
                    : reader.ValueTextEquals("role"u8) ? !ReadString(ref reader, ref role)
                    : reader.ValueTextEquals("sid"u8) ? !ReadString(ref reader, ref sid)
                    : reader.ValueTextEquals("jti"u8) ? !ReadString(ref reader, ref jti)
                    : reader.ValueTextEquals("iat"u8) ? !ReadTime(ref reader, ref iat)
                    : reader.ValueTextEquals("exp"u8) ? !ReadTime(ref reader, ref exp)
                    : !SkipValue(ref reader))
                {
                    return AccessTokenFailure.Malformed;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return AccessTokenFailure.Malformed;
            }
        }
        catch (JsonException)
        {
            return AccessTokenFailure.Malformed;
        }

        if (string.IsNullOrEmpty(sub) || string.IsNullOrEmpty(org) || string.IsNullOrEmpty(role) || string.IsNullOrEmpty(sid)
            || string.IsNullOrEmpty(jti) || iat is null || exp is null || !hasIss || !hasAud)
        {
            return AccessTokenFailure.MissingClaim;
        }

        if (!issOk)
        {
            return AccessTokenFailure.WrongIssuer;
        }

        if (!audOk)
        {
            return AccessTokenFailure.WrongAudience;
        }

        if (exp <= iat || exp - iat > _lifetimeSeconds)
        {
            return AccessTokenFailure.InvalidLifetime;
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (now >= exp + _skewSeconds)
        {
            return AccessTokenFailure.Expired;
        }

        if (iat > now + _skewSeconds)
        {
            return AccessTokenFailure.NotYetValid;
        }

        principal = new AccessTokenPrincipal(sub, org, role, sid, jti, keyId,
            DateTimeOffset.FromUnixTimeSeconds(iat.Value), DateTimeOffset.FromUnixTimeSeconds(exp.Value));
        return AccessTokenFailure.None;
    }

    /// <summary>Reads a string claim; false for a duplicate or another type (a duplicate claim is ambiguous: refused).</summary>
    private static bool ReadString(ref Utf8JsonReader reader, ref string? slot)
    {
        if (slot is not null || !reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        slot = reader.GetString();
        return true;
    }

    /// <summary>Reads a NumericDate as whole seconds (RFC 7519 §2; the issuer writes integers).</summary>
    private static bool ReadTime(ref Utf8JsonReader reader, ref long? slot)
    {
        if (slot is not null || !reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value)
            || value is < 0 or > 253_402_300_799) // 9999-12-31: DateTimeOffset's range.
        {
            return false;
        }

        slot = value;
        return true;
    }

    private static bool SkipValue(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            return false;
        }

        reader.Skip();
        return true;
    }

    private static int Base64Value(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        '_' => 63,
        _ => -1,
    };

    // 9630-9639 are the validator's event ids.
    private static partial class Log
    {
        [LoggerMessage(EventId = 9630, Message = "Access token refused: {Reason}.")]
        public static partial void Refused(ILogger logger, LogLevel level, AccessTokenFailure reason);
    }
}
