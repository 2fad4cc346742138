using Azure.Data.Tables;
using Integrations.Core.Integrity;

namespace Integrations.Azure.Tables;

/// <summary>The columns every MAC'd authority row carries (<c>Format</c>, <c>Mac</c>), read the same way by every store.</summary>
internal static class AuthorityRowColumns
{
    /// <summary>
    /// The row's MAC when it is in today's format, else null (a row of another format, or one whose columns a storage
    /// writer gave the wrong types, is refused as unsigned, never as an error).
    /// </summary>
    public static string? MacOf(TableEntity entity)
    {
        try
        {
            return entity.GetInt32("Format") == AuthorityRows.RowFormat ? entity.GetString("Mac") : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
