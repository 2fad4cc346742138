using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Integrations.Azure.KeyVault;

/// <summary>
/// The JSON of the Key Vault keys REST API, api-version 2025-07-01
/// (https://learn.microsoft.com/rest/api/keyvault/keys/wrap-key/wrap-key). Binary values are base64url without
/// padding. Key material is read and written as UTF-8 bytes, never as a <see cref="string"/>, so every copy of it
/// can be zeroed. Each reader throws <see cref="FormatException"/> with a reason that contains no value.
/// </summary>
internal static class KeyVaultProtocol
{
    public const string ApiVersion = "2025-07-01";

    // RSA-OAEP-256: RSAES-OAEP with SHA-256 and MGF1-SHA-256 (JWA, RFC 7518 §4.3) — the Key Vault algorithm for wrapping.
    private static ReadOnlySpan<byte> BodyStart => "{\"alg\":\"RSA-OAEP-256\",\"value\":\""u8;

    private static ReadOnlySpan<byte> BodyEnd => "\"}"u8;

    /// <summary>The body of wrapkey and unwrapkey: <c>{"alg":"RSA-OAEP-256","value":"&lt;base64url&gt;"}</c>. The caller zeroes it.</summary>
    public static byte[] CreateKeyOperationBody(ReadOnlySpan<byte> value)
    {
        var body = new byte[BodyStart.Length + Base64Url.GetEncodedLength(value.Length) + BodyEnd.Length];
        BodyStart.CopyTo(body);
        var written = Base64Url.EncodeToUtf8(value, body.AsSpan(BodyStart.Length));
        BodyEnd.CopyTo(body.AsSpan(BodyStart.Length + written));
        return body;
    }

    /// <summary>Reads the <c>{"kid":"…","value":"&lt;base64url&gt;"}</c> result of wrapkey and unwrapkey. The caller zeroes the value.</summary>
    public static KeyOperationResult ReadKeyOperationResult(ReadOnlySpan<byte> json)
    {
        string? kid = null;
        byte[]? value = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("the body is not a JSON object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("kid"u8))
                {
                    kid = ReadString(ref reader, "kid");
                }
                else if (reader.ValueTextEquals("value"u8))
                {
                    if (value is not null)
                    {
                        throw new FormatException("'value' appears twice.");
                    }

                    value = ReadBase64Url(ref reader, "value");
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (string.IsNullOrEmpty(kid))
            {
                throw new FormatException("'kid' is missing.");
            }

            return value is null ? throw new FormatException("'value' is missing.") : new KeyOperationResult(kid, value);
        }
        catch (FormatException)
        {
            Zero(value);
            throw;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // A fixed reason: the parser's message is not ours to promise free of values.
            Zero(value);
            throw new FormatException("the body is not valid JSON.");
        }

        static void Zero(byte[]? buffer)
        {
            if (buffer is not null)
            {
                CryptographicOperations.ZeroMemory(buffer);
            }
        }
    }

    /// <summary>Reads the key bundle of GET key: <c>{"key":{"kid":…,"key_ops":[…]},"attributes":{"enabled":…}}</c>.</summary>
    public static KeyBundle ReadKeyBundle(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.Object
                || !key.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String)
            {
                throw new FormatException("'key.kid' is missing.");
            }

            // key_ops lists what the key permits; when absent, every operation is allowed.
            IReadOnlyList<string>? operations = null;
            if (key.TryGetProperty("key_ops", out var ops) && ops.ValueKind == JsonValueKind.Array)
            {
                operations = [.. ops.EnumerateArray().Where(op => op.ValueKind == JsonValueKind.String).Select(op => op.GetString()!)];
            }

            var enabled = !(root.TryGetProperty("attributes", out var attributes) && attributes.ValueKind == JsonValueKind.Object
                && attributes.TryGetProperty("enabled", out var flag) && flag.ValueKind == JsonValueKind.False);
            return new KeyBundle(kid.GetString()!, enabled, operations);
        }
        catch (JsonException)
        {
            throw new FormatException("the body is not valid JSON.");
        }
    }

    /// <summary>Reads the Key Vault error body <c>{"error":{"code":"…","message":"…","innererror":{"code":"…"}}}</c>, or nulls.</summary>
    public static KeyVaultError ReadError(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return new KeyVaultError(null, null, null);
            }

            var inner = error.TryGetProperty("innererror", out var innerError) && innerError.ValueKind == JsonValueKind.Object
                ? GetString(innerError, "code")
                : null;
            return new KeyVaultError(GetString(error, "code"), GetString(error, "message"), inner);
        }
        catch (JsonException)
        {
            return new KeyVaultError(null, null, null);
        }
    }

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string ReadString(ref Utf8JsonReader reader, string name)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new FormatException($"'{name}' is not a string.");
    }

    private static byte[] ReadBase64Url(ref Utf8JsonReader reader, string name)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new FormatException($"'{name}' is not a string.");
        }

        // Base64url never needs JSON escapes, but "\u0041" is legal JSON: unescape into a buffer we can zero.
        byte[]? unescaped = null;
        var text = reader.ValueSpan;
        try
        {
            if (reader.ValueIsEscaped)
            {
                unescaped = new byte[text.Length];
                text = unescaped.AsSpan(0, reader.CopyString(unescaped));
            }

            if (text.IsEmpty || !Base64Url.IsValid(text, out var length) || length == 0)
            {
                throw new FormatException($"'{name}' is not base64url.");
            }

            var value = new byte[length];
            Base64Url.DecodeFromUtf8(text, value);
            return value;
        }
        finally
        {
            if (unescaped is not null)
            {
                CryptographicOperations.ZeroMemory(unescaped);
            }
        }
    }
}

/// <summary>The result of wrapkey or unwrapkey: the versioned key id that did it and the output bytes.</summary>
internal sealed record KeyOperationResult(string Kid, byte[] Value);

/// <summary>What GET key says about the key: its versioned id, whether it is enabled, and its permitted operations (null: all).</summary>
internal sealed record KeyBundle(string Kid, bool Enabled, IReadOnlyList<string>? Operations);

/// <summary>A Key Vault error body's <c>code</c>, <c>message</c> and <c>innererror.code</c>.</summary>
internal sealed record KeyVaultError(string? Code, string? Message, string? InnerCode);
