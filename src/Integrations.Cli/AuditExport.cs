using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Integrations.Core.Audit;
using Integrations.Core.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Integrations.Cli;

/// <summary>
/// <c>ihub audit export</c>: an organization's audit records (its own log and every project's) over a time range, as
/// JSON Lines an auditor can check without the hub's tables. Each partition starts with its chain state (anchor, head,
/// count); each record carries its chain hash and the hash of the record before it in its partition, so the export
/// shows whether the chain is continuous, and with the audit key each link can be recomputed. Records are read page by
/// page in chain order, so memory stays bounded however long the range.
/// </summary>
internal static class AuditExport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static Command Create(CliContext cli)
    {
        var org = new Option<string>("--org") { Description = "The organization's id (org_…).", Required = true };
        var project = new Option<string?>("--project") { Description = "Only this project's log (prj_…); default: the organization's log and every project's." };
        var from = new Option<DateTimeOffset>("--from") { Description = "Start of the range, ISO 8601 (inclusive).", Required = true };
        var to = new Option<DateTimeOffset?>("--to") { Description = "End of the range, ISO 8601 (exclusive). Default: now." };
        var output = new Option<FileInfo?>("--output") { Description = "Write to this file instead of standard output." };
        var export = new Command("export", "Export audit records as JSON Lines with each record's chain position, to re-verify offline.")
        {
            org, project, from, to, output,
        };
        export.SetAction((parsed, ct) => cli.RunAsync(parsed, (services, token) => RunAsync(
            cli, services, parsed.GetValue(org)!, parsed.GetValue(project), parsed.GetValue(from), parsed.GetValue(to), parsed.GetValue(output), token), ct));
        return export;
    }

    private static async Task<int> RunAsync(
        CliContext cli, IServiceProvider services, string organizationId, string? projectId, DateTimeOffset from, DateTimeOffset? to, FileInfo? output,
        CancellationToken cancellationToken)
    {
        var tenancy = services.GetRequiredService<ITenancyStore>();
        if (await tenancy.GetOrganizationAsync(organizationId, cancellationToken).ConfigureAwait(false) is null)
        {
            cli.Error($"No organization {organizationId}.");
            return ExitCodes.Failure;
        }

        var until = to ?? services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (from >= until)
        {
            cli.Error("--from must be before --to.");
            return ExitCodes.Configuration;
        }

        var partitions = await PartitionsAsync(tenancy, organizationId, projectId, cancellationToken).ConfigureAwait(false);
        if (partitions is null)
        {
            cli.Error($"Organization {organizationId} has no project {projectId}.");
            return ExitCodes.Failure;
        }

        var writer = output is null ? cli.Output.Profile.Out.Writer : new StreamWriter(output.FullName, append: false);
        long records = 0;
        try
        {
            var store = services.GetRequiredService<IAuditStore>();
            foreach (var partition in partitions)
            {
                records += await ExportPartitionAsync(store, writer, partition, from, until, cancellationToken).ConfigureAwait(false);
            }

            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (output is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (output is not null)
        {
            cli.Output.MarkupLineInterpolated($"Exported {CliFormat.Count(records)} records of {CliFormat.Count(partitions.Count)} partitions to {output.FullName}.");
        }

        return ExitCodes.Success;
    }

    private static async Task<IReadOnlyList<string>?> PartitionsAsync(ITenancyStore tenancy, string organizationId, string? projectId, CancellationToken cancellationToken)
    {
        if (projectId is not null)
        {
            return await tenancy.GetProjectAsync(organizationId, projectId, cancellationToken).ConfigureAwait(false) is null
                ? null
                : [AuditPartition.For(organizationId, projectId)];
        }

        var projects = await tenancy.ListProjectsAsync(organizationId, cancellationToken).ConfigureAwait(false);
        return [AuditPartition.For(organizationId, null), .. projects.Select(p => AuditPartition.For(organizationId, p.Id))];
    }

    private static async Task<long> ExportPartitionAsync(
        IAuditStore store, TextWriter writer, string partition, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var state = await store.GetChainStateAsync(partition, cancellationToken).ConfigureAwait(false);
        await WriteAsync(writer, new PartitionLine("partition", partition, state?.AnchorId, state?.AnchorHash, state?.SealedThroughId, state?.HeadHash,
            state?.SealedCount ?? 0), cancellationToken).ConfigureAwait(false);

        // The link into the range: the newest sealed record before it (or the anchor, when retention removed the rest).
        var before = state is null || from <= state.AnchorTime
            ? []
            : (await store.QueryAsync(partition, state.AnchorTime, from, new Core.Common.PageRequest(1, 1), cancellationToken).ConfigureAwait(false)).Items;
        var previous = before.Count > 0 ? before[0].ChainHash : state?.AnchorHash;
        long count = 0;
        await foreach (var record in store.ReadChainAsync(partition, from, to, cancellationToken).ConfigureAwait(false))
        {
            if (record.Time >= to)
            {
                continue; // The range's end is exclusive.
            }

            await WriteAsync(writer, RecordLine.From(record, previous), cancellationToken).ConfigureAwait(false);
            previous = record.ChainHash;
            count++;
        }

        return count;
    }

    private static async Task WriteAsync<T>(TextWriter writer, T line, CancellationToken cancellationToken) =>
        await writer.WriteLineAsync(JsonSerializer.Serialize(line, Json).AsMemory(), cancellationToken).ConfigureAwait(false);

    private sealed record PartitionLine(
        string Type, string Partition, string? AnchorId, string? AnchorHash, string? SealedThroughId, string? HeadHash, long SealedCount);

    private sealed record RecordLine(
        string Type, string Partition, string? PreviousHash, string? ChainHash, string Id, DateTimeOffset Time, string OrganizationId, string? ProjectId,
        string Action, string Outcome, int Status, string ActorType, string ActorId, string? Target, string? SourceIp, string? UserAgent, string? RequestId,
        string? CredentialHmac, int Count)
    {
        public static RecordLine From(AuditRecord r, string? previousHash) => new(
            "record", r.Partition, r.ChainHash is null ? null : previousHash, r.ChainHash, r.Id, r.Time, r.OrganizationId, r.ProjectId, r.Action, r.Outcome,
            r.Status, r.ActorType, r.ActorId, r.Target, r.SourceIp, r.UserAgent, r.RequestId, r.CredentialHmac, r.Count);
    }
}
