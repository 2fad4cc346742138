namespace Integrations.Core.Common;

/// <summary>Error codes shared by every capability. Each is a problem <c>type</c> with an entry in docs/problems.md.</summary>
public static class CommonErrors
{
    public const string NotFound = "not-found";
    public const string MissingField = "missing-field";
    public const string InvalidName = "invalid-name";
    public const string InvalidPage = "invalid-page";
}
