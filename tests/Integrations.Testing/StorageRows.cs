using System.Text;
using Azure.Data.Tables;

namespace Integrations.Testing;

/// <summary>Reads every row of every table with a prefix: for tests that check what is stored, byte for byte.</summary>
public static class StorageRows
{
    public static async Task<IReadOnlyList<TableEntity>> ReadAllAsync(string connectionString, string prefix)
    {
        var service = new TableServiceClient(connectionString);
        var rows = new List<TableEntity>();
        await foreach (var table in service.QueryAsync(t => t.Name.CompareTo(prefix) >= 0))
        {
            if (!table.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            await foreach (var entity in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                rows.Add(entity);
            }
        }

        return rows;
    }

    /// <summary>True when any property of any row contains <paramref name="needle"/> as text or as its UTF-8 bytes.</summary>
    public static bool Contains(IEnumerable<TableEntity> rows, string needle)
    {
        var bytes = Encoding.UTF8.GetBytes(needle);
        return rows.Any(row => row.Select(p => p.Value).Any(value => value switch
        {
            string s => s.Contains(needle, StringComparison.Ordinal),
            byte[] b => b.AsSpan().IndexOf(bytes) >= 0,
            BinaryData d => d.ToMemory().Span.IndexOf(bytes) >= 0,
            _ => false,
        }));
    }
}
