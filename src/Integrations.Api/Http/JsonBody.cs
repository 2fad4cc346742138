using System.Text.Json;
using Integrations.Core.Common;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Http;

/// <summary>
/// Reads a JSON request body with a size limit; malformed input becomes a 400 naming the field, never a 500. The whole
/// body must be UTF-8 (RFC 8259 §8.1): System.Text.Json skips the members a contract does not read without decoding
/// them, so a body is validated before it is parsed, not field by field.
/// </summary>
public static class JsonBody
{
    /// <summary>Large enough for a 48 KiB value even when every character is JSON-escaped.</summary>
    public const int MaxBytes = 512 * 1024;

    public static Task<Result<T>> ReadAsync<T>(HttpRequest request, bool optional = false)
        where T : class =>
        ReadAsync(request, optional, MaxBytes, static body => JsonSerializer.Deserialize<T>(body.Span, ApiJson.Options)
            ?? (Result<T>)HubError.Invalid(ApiProblems.MalformedJson, "The body must be a JSON object."), Empty<T>);

    /// <summary>The body as a JSON element (a copy that outlives the request buffer), for bodies read member by member (PATCH).</summary>
    public static Task<Result<JsonElement>> ReadElementAsync(HttpRequest request) => ReadElementAsync(request, MaxBytes, ApiJson.Options.MaxDepth);

    /// <summary>
    /// The body as a JSON element, up to <paramref name="maxBytes"/> and <paramref name="maxDepth"/> — for a body that carries
    /// someone's document (a message payload) and has limits of its own.
    /// </summary>
    public static Task<Result<JsonElement>> ReadElementAsync(HttpRequest request, int maxBytes, int maxDepth) =>
        ReadAsync(request, false, maxBytes, body =>
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth });
            return Result.Success(document.RootElement.Clone());
        }, static () => default(JsonElement));

    private static async Task<Result<T>> ReadAsync<T>(
        HttpRequest request, bool optional, int maxBytes, Func<ReadOnlyMemory<byte>, Result<T>> parse, Func<Result<T>> empty)
    {
        if (request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        if (request.ContentLength is null or 0 && optional && request.Headers.TransferEncoding.Count == 0)
        {
            return empty();
        }

        if (!request.HasJsonContentType())
        {
            return HubError.Invalid(ApiProblems.UnsupportedMediaType, "Send the body as JSON with `Content-Type: application/json`.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return TooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return optional ? empty() : HubError.Invalid(ApiProblems.MissingBody, "The request needs a JSON body.");
        }

        try
        {
            var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
            if (!System.Text.Unicode.Utf8.IsValid(body.Span))
            {
                return HubError.Invalid(ApiProblems.InvalidEncoding, "The body is not valid UTF-8.");
            }

            return parse(body);
        }
        catch (JsonException ex)
        {
            // The path names the field ($.tags[2]); the message of JsonException may echo input, so it is not used.
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? null : ex.Path.TrimStart('$', '.');
            return HubError.Invalid(ApiProblems.MalformedJson, field is null ? "The body is not valid JSON." : $"'{field}' has the wrong type or is not valid JSON.", field);
        }
        finally
        {
            // The raw body may hold a secret value: do not leave it in a pooled-size buffer for the GC to keep.
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer.GetBuffer());
        }
    }

    /// <summary>An optional body that was not sent reads as an empty object: every field null.</summary>
    private static Result<T> Empty<T>()
        where T : class => JsonSerializer.Deserialize<T>("{}"u8, ApiJson.Options)!;

    private static HubError TooLarge(int maxBytes) => new(ErrorKind.TooLarge, ApiProblems.BodyTooLarge, $"The body must be at most {maxBytes} bytes.");
}
