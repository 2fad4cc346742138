namespace Integrations.Core.Common;

/// <summary>
/// An expected failure (not found, conflict, invalid input…): a value the caller handles, not an exception.
/// <see cref="Code"/> is stable and becomes the problem <c>type</c>; <see cref="Message"/> never contains a secret.
/// </summary>
public sealed record HubError(ErrorKind Kind, string Code, string Message, string? Field = null)
{
    public static HubError Invalid(string code, string message, string? field = null) => new(ErrorKind.Invalid, code, message, field);

    public static HubError NotFound(string what) => new(ErrorKind.NotFound, CommonErrors.NotFound, $"The {what} does not exist.");

    public static HubError Conflict(string code, string message) => new(ErrorKind.Conflict, code, message);
}
