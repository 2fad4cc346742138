using System.CommandLine;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Integrations.Core.Identity.Tokens;
using Integrations.Core.Rotation;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Integrations.Cli;

/// <summary><c>ihub keys rotate</c> and <c>ihub keys rotation &lt;id&gt;</c>.</summary>
internal static class KeysCommands
{
    // Another runner (the Server's queue job, or a crashed run whose 60 s lease has not expired) may hold the
    // rotation lock: retry this often until the rotation completes here or there.
    private static readonly TimeSpan LockRetryInterval = TimeSpan.FromSeconds(5);

    public static Command Create(CliContext cli)
    {
        var target = new Option<string>("--target")
        {
            Description = "data-keys: a new KEK, every data key re-wrapped, the old KEKs retired. root-key: re-wrap the KEKs with the current root key.",
            DefaultValueFactory = _ => "data-keys",
        };
        target.AcceptOnlyFromAmong("data-keys", "root-key");
        var rotate = new Command("rotate", "Start a key rotation (or resume the one in progress) and run it here to completion. Run it again after a crash to resume.")
        {
            target,
        };
        rotate.SetAction((parsed, ct) => cli.RunAsync(parsed, (services, token) =>
            RotateAsync(cli, services, parsed.GetValue(target) == "root-key" ? RotationKind.RootKey : RotationKind.DataKeys, token), ct));

        var id = new Argument<string>("id") { Description = "The rotation's id (rot_…), as `ihub keys rotate` prints it." };
        var show = new Command("rotation", "Show a rotation's status and progress.") { id };
        show.SetAction((parsed, ct) => cli.RunAsync(parsed, (services, token) => ShowAsync(cli, services, parsed.GetValue(id)!, token), ct));

        var rotateAuditKey = new Command("rotate-audit-key",
            "Make a new audit HMAC key current: it signs new chain links, chain states and checkpoints. Earlier audit keys are kept, so what they signed still verifies.");
        rotateAuditKey.SetAction((parsed, ct) => cli.RunAsync(parsed, (services, token) => RotateAuditKeyAsync(cli, services, token), ct));

        var rotateSigningKey = new Command("rotate-signing-key",
            "Make a new access-token signing key (ES256) the signer. Earlier keys stay published in /.well-known/jwks.json and accepted until every token they signed has expired.");
        rotateSigningKey.SetAction((parsed, ct) => cli.RunAsync(parsed, (services, token) => RotateSigningKeyAsync(cli, services, token), ct));

        return new Command("keys", "Key-encryption keys (KEKs), the audit key, the access-token signing key, and their rotation.")
        {
            rotate, show, rotateAuditKey, rotateSigningKey,
        };
    }

    private static async Task<int> RotateAsync(CliContext cli, IServiceProvider services, RotationKind kind, CancellationToken cancellationToken)
    {
        var rotations = services.GetRequiredService<KeyRotationService>();
        // A new deployment has no keys yet: create them, as the Server does at start.
        await services.GetRequiredService<KeyRing>().InitializeAsync(cancellationToken).ConfigureAwait(false);
        var inProgress = await services.GetRequiredService<IKeyRotationStore>().GetInProgressAsync(cancellationToken).ConfigureAwait(false);
        // Starting is idempotent (a rotation in progress is returned), so the attempt names the kind, the outcome the same.
        var started = await CliAudit.ChangeAsync(services, AuditPartition.Platform, AuditActions.KeyRotationStart, $"rotation/{Target(kind)}", 202,
            async () => (Result<KeyRotation>)await rotations.StartAsync(kind, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var rotation = started.Value!;

        var output = cli.Output;
        if (inProgress is null)
        {
            output.MarkupLineInterpolated($"Started rotation [bold]{rotation.Id}[/] ({Target(kind)}).");
        }
        else
        {
            output.MarkupLineInterpolated($"Resuming rotation [bold]{rotation.Id}[/] ({Target(rotation.Kind)}), {rotation.Status}: {rotation.Done}/{rotation.Total}.");
            if (rotation.Kind != kind)
            {
                output.MarkupLineInterpolated($"Only one rotation runs at a time: run `ihub keys rotate --target {Target(kind)}` again once this one completes.");
            }
        }

        var time = services.GetRequiredService<TimeProvider>();
        var final = await output.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask(Describe(rotation), maxValue: 1);
                var progress = new InlineProgress<KeyRotation>(r => Show(bar, r));
                Show(bar, rotation);
                while (true)
                {
                    var state = await rotations.RunAsync(rotation.Id, progress, cancellationToken).ConfigureAwait(false)
                        ?? throw new InvalidOperationException($"Rotation {rotation.Id} disappeared from storage.");
                    Show(bar, state);
                    if (state.Status == RotationStatus.Completed)
                    {
                        return state;
                    }

                    bar.Description = Describe(state) + " (another runner holds the rotation lock; waiting)";
                    await Task.Delay(LockRetryInterval, time, cancellationToken).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);

        output.MarkupLineInterpolated($"[green]Rotation {final.Id} completed.[/]");
        output.Write(Summary(final));
        return ExitCodes.Success;
    }

    private static async Task<int> RotateAuditKeyAsync(CliContext cli, IServiceProvider services, CancellationToken cancellationToken)
    {
        var rotated = await CliAudit.ChangeAsync(services, AuditPartition.Platform, AuditActions.AuditKeyRotate, "auditkey/current", 200,
            async () => (Result<(string, string)>)await services.GetRequiredService<AuditKeyLifecycle>().RotateAsync(cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        var (newKeyId, previousKeyId) = rotated.Value;
        cli.Output.MarkupLineInterpolated($"Audit key [bold]{newKeyId}[/] is now current; [bold]{previousKeyId}[/] is kept to verify what it signed.");
        cli.Output.MarkupLine("Running instances sign with the new key from their next seal run.");
        return ExitCodes.Success;
    }

    private static async Task<int> RotateSigningKeyAsync(CliContext cli, IServiceProvider services, CancellationToken cancellationToken)
    {
        var rotated = await CliAudit.ChangeAsync(services, AuditPartition.Platform, AuditActions.SigningKeyRotate, "signingkey/current", 200,
            async () => (Result<(string, string)>)await services.GetRequiredService<AccessTokenKeyLifecycle>().RotateAsync(cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        var (newKeyId, previousKeyId) = rotated.Value;
        var keys = services.GetRequiredService<AccessTokenSigningKeys>();
        cli.Output.MarkupLineInterpolated($"Signing key [bold]{newKeyId}[/] now signs access tokens; [bold]{previousKeyId}[/] stays published until the tokens it signed have expired.");
        cli.Output.MarkupLineInterpolated($"Running instances sign with the new key within their key refresh interval; the old key leaves the JWKS {CliFormat.Duration(keys.AcceptanceAfterReplacement)} from now.");
        return ExitCodes.Success;
    }

    private static async Task<int> ShowAsync(CliContext cli, IServiceProvider services, string id, CancellationToken cancellationToken)
    {
        var rotation = await services.GetRequiredService<KeyRotationService>().GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (rotation is null)
        {
            cli.Error($"There is no rotation {id}.");
            return ExitCodes.Failure;
        }

        cli.Output.Write(Summary(rotation));
        return ExitCodes.Success;
    }

    private static void Show(ProgressTask bar, KeyRotation rotation)
    {
        // The bar needs a positive maximum; a rotation with nothing to re-wrap is complete when it says so.
        bar.MaxValue = Math.Max(1, rotation.Total);
        bar.Value = rotation.Status == RotationStatus.Completed ? bar.MaxValue : Math.Min(rotation.Done, rotation.Total);
        bar.Description = Describe(rotation);
    }

    private static string Describe(KeyRotation rotation) =>
        Markup.Escape($"{rotation.Status} {CliFormat.Count(rotation.Done)}/{CliFormat.Count(rotation.Total)}");

    private static Grid Summary(KeyRotation rotation)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Row(string name, string? value) => grid.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(value ?? "-"));

        Row("Rotation", rotation.Id);
        Row("Target", Target(rotation.Kind));
        Row("Status", rotation.Status.ToString());
        Row(rotation.Kind == RotationKind.RootKey ? "Key records re-wrapped" : "Data keys re-wrapped (done/total)",
            rotation.Kind == RotationKind.RootKey
                ? CliFormat.Count(rotation.Done)
                : $"{CliFormat.Count(rotation.Done)}/{CliFormat.Count(rotation.Total)}");
        if (rotation.Kind == RotationKind.DataKeys)
        {
            Row("New KEK", rotation.NewKekId);
            Row(rotation.Status == RotationStatus.Completed ? "Retired KEKs" : "Retiring KEKs", rotation.RetiringKekIds.Count == 0 ? null : string.Join(", ", rotation.RetiringKekIds));
        }

        Row("Started", CliFormat.Time(rotation.CreatedAt));
        Row("Updated", CliFormat.Time(rotation.UpdatedAt));
        Row("Completed", rotation.CompletedAt is { } completed ? $"{CliFormat.Time(completed)} (took {CliFormat.Duration(completed - rotation.CreatedAt)})" : null);
        return grid;
    }

    private static string Target(RotationKind kind) => kind == RotationKind.RootKey ? "root-key" : "data-keys";

    /// <summary>Reports on the caller's thread, in order: <see cref="Progress{T}"/> posts to the thread pool, so a report could land after the bar is gone.</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
