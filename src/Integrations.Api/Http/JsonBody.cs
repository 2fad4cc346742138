using System.Text.Json;
using Integrations.Core.Common;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Http;

/// <summary>Reads a JSON request body with a size limit; malformed input becomes a 400 naming the field, never a 500.</summary>
public static class JsonBody
{
    /// <summary>Large enough for a 48 KiB value even when every character is JSON-escaped.</summary>
    public const int MaxBytes = 512 * 1024;

    public static async Task<Result<T>> ReadAsync<T>(HttpRequest request, bool optional = false)
        where T : class
    {
        if (request.ContentLength > MaxBytes)
        {
            return TooLarge();
        }

        if (request.ContentLength is null or 0 && optional && request.Headers.TransferEncoding.Count == 0)
        {
            return Empty<T>();
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
            if (buffer.Length + read > MaxBytes)
            {
                return TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return optional ? Empty<T>() : HubError.Invalid(ApiProblems.MissingBody, "The request needs a JSON body.");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), ApiJson.Options)
                ?? (Result<T>)HubError.Invalid(ApiProblems.MalformedJson, "The body must be a JSON object.");
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

    private static HubError TooLarge() => new(ErrorKind.TooLarge, ApiProblems.BodyTooLarge, $"The body must be at most {MaxBytes} bytes.");
}
