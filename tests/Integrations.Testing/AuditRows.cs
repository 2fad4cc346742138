using System.IO.Compression;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;

namespace Integrations.Testing;

/// <summary>
/// Direct access to the audit table's stored form (segment rows holding a JSON array of records), for tests that
/// tamper with the log the way an attacker with storage access would.
/// </summary>
public static class AuditRows
{
    /// <summary>Every record of a partition, in chain order (time, then id), with the row it is stored in.</summary>
    public static async Task<IReadOnlyList<(TableEntity Row, JsonObject Record)>> ReadAsync(TableClient audit, string partition)
    {
        var records = new List<(TableEntity, JsonObject)>();
        await foreach (var row in audit.QueryAsync<TableEntity>(e => e.PartitionKey == partition))
        {
            foreach (var record in Parse(row))
            {
                records.Add((row, record!.AsObject()));
            }
        }

        return records.OrderBy(r => (long)r.Item2["ticks"]!).ThenBy(r => (string)r.Item2["id"]!, StringComparer.Ordinal).ToList();
    }

    /// <summary>Changes one field of one stored record in place.</summary>
    public static Task EditAsync(TableClient audit, TableEntity row, string recordId, string field, JsonNode? value) =>
        RewriteAsync(audit, row, records =>
        {
            records.Single(r => (string)r!["id"]! == recordId)![field] = value;
            return records;
        });

    /// <summary>Removes one stored record (deleting its row if it was the only one).</summary>
    public static async Task DeleteAsync(TableClient audit, TableEntity row, string recordId)
    {
        var records = Parse(row);
        if (records.Count == 1)
        {
            await audit.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All);
            return;
        }

        await RewriteAsync(audit, row, r =>
        {
            r.Remove(r.Single(x => (string)x!["id"]! == recordId));
            return r;
        });
    }

    private static async Task RewriteAsync(TableClient audit, TableEntity row, Func<JsonArray, JsonArray> change)
    {
        var records = change(Parse(row));
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(System.Text.Encoding.UTF8.GetBytes(records.ToJsonString()));
        }

        row["Records"] = output.ToArray();
        await audit.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
    }

    /// <summary>The stored form: a zlib-compressed JSON array of records.</summary>
    private static JsonArray Parse(TableEntity row)
    {
        using var json = new ZLibStream(new MemoryStream(row.GetBinary("Records")), CompressionMode.Decompress);
        return JsonNode.Parse(json)!.AsArray();
    }
}
