using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Integrations.Azure.Hosting;

namespace Integrations.Api.Tests.Connections;

/// <summary>
/// Counts the Server's storage calls (tables and blobs) by table or container and HTTP method: an Azure.Core policy in the
/// storage clients' pipelines, so every call the hub makes is seen, whichever store makes it. Used to state what one
/// request costs in storage round trips.
/// </summary>
public sealed class StorageCallCounter : HttpPipelinePolicy
{
    private readonly ConcurrentQueue<string> _calls = new();

    /// <summary>Registers clients that count, in place of the Server's (test services are registered last, so they win).</summary>
    public void Register(IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = new TableClientOptions();
            options.Diagnostics.IsDistributedTracingEnabled = false;
            options.AddPolicy(this, HttpPipelinePosition.PerCall);
            return new TableServiceClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString, options);
        });
        services.AddSingleton(sp =>
        {
            var options = new BlobClientOptions();
            options.AddPolicy(this, HttpPipelinePosition.PerCall);
            return new BlobServiceClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString, options);
        });
    }

    /// <summary>Every call since the last <see cref="Reset"/>, as "METHOD resource" (the table or container without the storage prefix).</summary>
    public IReadOnlyList<string> Calls => [.. _calls];

    public void Reset() => _calls.Clear();

    /// <summary>Calls whose resource (table or container name, after the prefix) is <paramref name="resource"/>.</summary>
    public int Count(string prefix, string resource) => _calls.Count(c => c.EndsWith(" " + resource, StringComparison.Ordinal) || c.EndsWith(" " + prefix + resource, StringComparison.Ordinal));

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Record(HttpMessage message)
    {
        // /devstoreaccount1/{table}(PartitionKey=…) or /devstoreaccount1/{container}/{blob}: the second segment, up to '('.
        var path = message.Request.Uri.Path;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var resource = segments.Length > 1 ? segments[1] : path;
        var paren = resource.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0)
        {
            resource = resource[..paren];
        }

        _calls.Enqueue(message.Request.Method + " " + resource);
    }
}
