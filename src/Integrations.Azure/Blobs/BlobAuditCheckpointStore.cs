using System.Runtime.CompilerServices;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Integrations.Core.Audit;

namespace Integrations.Azure.Blobs;

/// <summary>
/// Audit checkpoints as lines in append blobs, one blob per UTC day (<c>checkpoints/yyyy/MM/dd.log</c>): a seal run
/// every five minutes appends 288 blocks a day, far below an append blob's 50,000. The container has its own name
/// (<c>{Storage:Prefix}-audit-checkpoints</c>) so that in Azure it carries a time-based immutability policy with
/// protected appends (infra/main.bicep): a blob can be appended to but neither rewritten nor deleted, so someone who
/// can write the tables cannot make the checkpoints agree with them. Azurite ignores the policy.
/// </summary>
public sealed class BlobAuditCheckpointStore(BlobContainerClient container) : IAuditCheckpointStore
{
    /// <summary>The container name for a storage prefix.</summary>
    public static string ContainerName(string prefix) => prefix + "-audit-checkpoints";

    private const string Prefix = "checkpoints/";
    private const int ReadChunk = 64 * 1024;

    public async Task AppendAsync(DateTimeOffset time, string line, CancellationToken cancellationToken = default)
    {
        if (line.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("A checkpoint is one line.", nameof(line));
        }

        var blob = container.GetAppendBlobClient(Prefix + time.UtcDateTime.ToString("yyyy'/'MM'/'dd", System.Globalization.CultureInfo.InvariantCulture) + ".log");
        await blob.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(line + "\n"));
        await blob.AppendBlockAsync(content, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<string> ReadNewestFirstAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var names = new List<string>();
        try
        {
            await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, Prefix, cancellationToken).ConfigureAwait(false))
            {
                names.Add(item.Name);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            yield break; // No container yet: nothing was ever sealed here.
        }

        // Names sort by date; read from the newest day backwards, each blob from its end.
        names.Sort(StringComparer.Ordinal);
        for (var i = names.Count - 1; i >= 0; i--)
        {
            await foreach (var line in LinesFromEndAsync(container.GetBlobClient(names[i]), cancellationToken).ConfigureAwait(false))
            {
                yield return line;
            }
        }
    }

    /// <summary>A blob's lines, last first, reading it backwards <see cref="ReadChunk"/> bytes at a time.</summary>
    private static async IAsyncEnumerable<string> LinesFromEndAsync(BlobClient blob, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var position = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.ContentLength;
        var pending = Array.Empty<byte>(); // the start of a line whose beginning lies in an earlier chunk
        while (position > 0)
        {
            var start = Math.Max(0, position - ReadChunk);
            var chunk = (await blob.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(start, position - start) }, cancellationToken)
                .ConfigureAwait(false)).Value.Content.ToArray();
            var data = new byte[chunk.Length + pending.Length];
            chunk.CopyTo(data, 0);
            pending.CopyTo(data, chunk.Length);
            position = start;

            var lines = new List<string>();
            var end = data.Length;
            for (var i = data.Length - 1; i >= 0; i--)
            {
                if (data[i] == (byte)'\n')
                {
                    lines.Add(Encoding.UTF8.GetString(data, i + 1, end - i - 1));
                    end = i;
                }
            }

            if (position == 0)
            {
                lines.Add(Encoding.UTF8.GetString(data, 0, end));
                pending = [];
            }
            else
            {
                pending = data[..end];
            }

            foreach (var line in lines.Where(l => l.Length > 0))
            {
                yield return line;
            }
        }
    }
}
