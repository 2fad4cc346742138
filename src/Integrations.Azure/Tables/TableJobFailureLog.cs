using System.Globalization;
using Azure.Data.Tables;
using Integrations.Core.Jobs;

namespace Integrations.Azure.Tables;

/// <summary>
/// Job failures in one table. PartitionKey = the Storage Queue's name, so a queue's failures are one partition (the
/// listing an operator needs next to its poison queue). RowKey = <c>{inverted ticks:D19}-{message id}</c>: newest
/// first in a partition scan, and unique per message and moment. Rows are never updated; no message body is stored.
/// </summary>
public sealed class TableJobFailureLog(HubTables tables) : IJobFailureLog
{
    private TableClient Table => tables.JobFailures;

    public async Task RecordAsync(JobFailure failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var inverted = (DateTimeOffset.MaxValue.UtcTicks - failure.OccurredAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
        var rowKey = inverted + "-" + KeySafe(failure.MessageId);
        var entity = new TableEntity(failure.Queue, rowKey)
        {
            ["Job"] = failure.Job,
            ["MessageId"] = failure.MessageId,
            ["Attempts"] = failure.Attempts,
            ["Kind"] = failure.Kind.ToString(),
            ["Reason"] = failure.Reason,
            ["OccurredAt"] = failure.OccurredAt,
        };
        await Table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<JobFailure>> ListAsync(string queue, int max = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var failures = new List<JobFailure>();
        var rows = Table.QueryAsync<TableEntity>($"PartitionKey eq '{TableWrites.Quote(queue)}'", maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken);
        await foreach (var row in rows.ConfigureAwait(false))
        {
            failures.Add(new JobFailure(
                row.PartitionKey,
                row.GetString("Job"),
                row.GetString("MessageId"),
                row.GetInt64("Attempts") ?? 0,
                Enum.Parse<JobFailureKind>(row.GetString("Kind")),
                row.GetString("Reason"),
                row.GetDateTimeOffset("OccurredAt")!.Value));
            if (failures.Count == max)
            {
                break;
            }
        }

        return failures;
    }

    // Storage message ids are GUIDs; anything a RowKey cannot hold (/ \ # ? and control characters) is replaced all the same.
    private static string KeySafe(string value) =>
        string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is '/' or '\\' or '#' or '?' || char.IsControl(c) ? '_' : c;
            }
        });
}
