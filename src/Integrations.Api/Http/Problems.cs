using Integrations.Core.Common;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Http;

/// <summary>
/// RFC 9457 problem details. Every problem has a stable <c>type</c> (<see cref="TypePrefix"/> + code), a title,
/// the status, and where it applies the <c>field</c> at fault. Details never contain a secret.
/// </summary>
public static class Problems
{
    public const string TypePrefix = "urn:integrations-hub:problem:";

    public static IResult From(HubError error) => Create(StatusFor(error.Kind), error.Code, TitleFor(error.Kind), error.Message, error.Field);

    public static IResult Create(int status, string code, string title, string detail, string? field = null)
    {
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = code };
        if (field is not null)
        {
            extensions["field"] = field;
        }

        return Results.Problem(detail: detail, statusCode: status, title: title, type: TypePrefix + code, extensions: extensions);
    }

    private static int StatusFor(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        ErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static string TitleFor(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => "Invalid request",
        ErrorKind.NotFound => "Not found",
        ErrorKind.Conflict => "Conflict",
        ErrorKind.PreconditionFailed => "Precondition failed",
        ErrorKind.TooLarge => "Payload too large",
        ErrorKind.Forbidden => "Forbidden",
        ErrorKind.Unavailable => "Unavailable",
        _ => "Error",
    };
}
