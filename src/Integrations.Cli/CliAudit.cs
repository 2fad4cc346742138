using Integrations.Core.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Cli;

/// <summary>
/// Audits what an operator changes through the CLI, in the same log and partitions as the API would, so a change
/// made with storage access is no less visible than one made over HTTP. Status is the HTTP status the API gives the
/// same outcome, so one query covers both.
/// </summary>
internal static class CliAudit
{
    public const string ActorType = "Cli";

    /// <summary>Who ran the command, as far as the machine knows: the OS account.</summary>
    public static string Actor { get; } = "cli:" + Environment.UserName;

    /// <summary>Writes a successful change; throws <see cref="AuditUnavailableException"/> when the record cannot be stored.</summary>
    public static Task SucceededAsync(IServiceProvider services, string organizationId, string action, int status, string target, CancellationToken cancellationToken) =>
        services.GetRequiredService<AuditLog>().WriteAsync(
            new AuditEvent(organizationId, null, action, AuditOutcomes.Success, status, ActorType, Actor, target), cancellationToken);
}
