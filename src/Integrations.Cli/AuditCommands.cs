using System.CommandLine;
using Integrations.Core.Audit;
using Integrations.Core.Crypto;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Integrations.Cli;

/// <summary><c>ihub audit verify|seal|cleanup|export</c>: the audit hash chain, checked on demand and its timer jobs run by hand.</summary>
internal static class AuditCommands
{
    public static Command Create(CliContext cli)
    {
        var verify = new Command("verify", "Check every audit partition against its hash chain, signed state and the latest signed checkpoint (reads only). Exits 1 when anything does not match.");
        verify.SetAction((parsed, ct) => cli.RunAsync(parsed, (services, token) => VerifyAsync(cli, services, token), ct));

        var seal = new Command("seal", "Seal new audit records into the hash chain now (the SealAuditLog timer job, run once).");
        seal.SetAction((parsed, ct) => cli.RunAsync(parsed, (services, token) => SealAsync(cli, services, token), ct));

        var cleanup = new Command("cleanup", "Seal, then delete sealed records older than Audit:Retention (the CleanupAuditLog timer job, run once).");
        cleanup.SetAction((parsed, ct) => cli.RunAsync(parsed, (services, token) => CleanupAsync(cli, services, token), ct));

        return new Command("audit", "The tamper-evident audit log.") { verify, seal, cleanup, AuditExport.Create(cli) };
    }

    private static async Task<int> VerifyAsync(CliContext cli, IServiceProvider services, CancellationToken cancellationToken)
    {
        // Without a key ring nothing was ever sealed; asking the chain for its key would create one, and verify changes nothing.
        if (await services.GetRequiredService<IKeyRecordStore>().GetStateAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            cli.Output.MarkupLine("[green]OK:[/] 0 partitions verified (the hub has no keys yet, so nothing is sealed).");
            return ExitCodes.Success;
        }

        var result = await services.GetRequiredService<AuditChain>().VerifyAsync(cancellationToken).ConfigureAwait(false);
        var notYetSealed = result.UnsealedPartitions == 0 ? "" : $" ({CliFormat.Count(result.UnsealedPartitions)} more not sealed yet)";
        var against = result.Checkpoint is { } checkpoint
            ? $"; checked against the checkpoint of {CliFormat.Time(checkpoint.Time)} ({CliFormat.Count(checkpoint.Partitions.Count)} partitions)"
            : "; no checkpoint yet (the first seal run writes one)";
        if (result.Findings.Count == 0)
        {
            cli.Output.MarkupLine($"[green]OK:[/] {CliFormat.Count(result.SealedPartitions)} partitions verified{Markup.Escape(notYetSealed + against)}.");
            return ExitCodes.Success;
        }

        var table = new Table().AddColumn("Partition").AddColumn("First record that does not match").AddColumn("Problem");
        foreach (var finding in result.Findings)
        {
            table.AddRow(new Text(CliFormat.Text(finding.Partition)), new Text(CliFormat.Text(finding.RecordId ?? "-")), new Text(CliFormat.Text(finding.Problem)));
        }

        cli.Output.Write(table);
        cli.Output.MarkupLine($"[red]FAILED:[/] {CliFormat.Count(result.FailedPartitions)} of {CliFormat.Count(result.SealedPartitions)} sealed partitions do not match their chain{Markup.Escape(against)}.");
        return ExitCodes.Failure;
    }

    private static async Task<int> SealAsync(CliContext cli, IServiceProvider services, CancellationToken cancellationToken)
    {
        var count = await services.GetRequiredService<AuditChain>().SealAsync(cancellationToken).ConfigureAwait(false);
        cli.Output.MarkupLine($"Sealed {CliFormat.Count(count)} audit records{SealDelayNote(services)}.");
        return ExitCodes.Success;
    }

    private static async Task<int> CleanupAsync(CliContext cli, IServiceProvider services, CancellationToken cancellationToken)
    {
        // As the CleanupAuditLog job: seal first, so nothing past retention is left unsealed (and so undeletable).
        var chain = services.GetRequiredService<AuditChain>();
        var sealedCount = await chain.SealAsync(cancellationToken).ConfigureAwait(false);
        var deleted = await chain.CleanupAsync(cancellationToken).ConfigureAwait(false);
        var retention = services.GetRequiredService<IOptions<AuditOptions>>().Value.Retention;
        cli.Output.MarkupLine($"Sealed {CliFormat.Count(sealedCount)} audit records{SealDelayNote(services)}; " +
            $"deleted {CliFormat.Count(deleted)} sealed records older than {CliFormat.Count((long)retention.TotalDays)} days (Audit:Retention).");
        return ExitCodes.Success;
    }

    // Records younger than the seal delay wait for the next run, and a job already running elsewhere makes this one a no-op.
    private static string SealDelayNote(IServiceProvider services) =>
        Markup.Escape($" (records younger than Audit:SealDelay = {services.GetRequiredService<IOptions<AuditOptions>>().Value.SealDelay} wait for the next run)");
}
