using Integrations.Core.Audit;
using Integrations.Core.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Cli;

/// <summary>
/// Audits what an operator changes through the CLI, in the same log and partitions as the API would, and in the same
/// order: the attempt before the change runs (if it cannot be written, nothing changes), the outcome after. A change
/// made with storage access is no less visible than one made over HTTP. Status is the HTTP status the API gives the
/// same outcome, so one query covers both.
/// </summary>
internal static class CliAudit
{
    public const string ActorType = "Cli";

    /// <summary>Who ran the command, as far as the machine knows: the OS account.</summary>
    public static string Actor { get; } = "cli:" + Environment.UserName;

    /// <summary>
    /// Runs <paramref name="change"/> between its attempt and outcome records. Throws <see cref="AuditUnavailableException"/>
    /// when the attempt cannot be stored (and then changes nothing), or when the outcome cannot be (the change stands).
    /// </summary>
    public static async Task<Result<T>> ChangeAsync<T>(
        IServiceProvider services, string organizationId, string action, string target, int successStatus, Func<Task<Result<T>>> change,
        CancellationToken cancellationToken)
    {
        var log = services.GetRequiredService<AuditLog>();
        await log.WriteAsync(Event(organizationId, action, AuditOutcomes.Attempt, 0, target), cancellationToken).ConfigureAwait(false);
        Result<T> result;
        try
        {
            result = await change().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not AuditUnavailableException)
        {
            await log.WriteAsync(Event(organizationId, action, AuditOutcomes.Error, 500, target), CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var (outcome, status) = result.IsSuccess ? (AuditOutcomes.Success, successStatus) : OutcomeOf(result.Error.Kind);
        // Past the change, record it even if the operator pressed Ctrl+C.
        await log.WriteAsync(Event(organizationId, action, outcome, status, target), CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    private static AuditEvent Event(string organizationId, string action, string outcome, int status, string target) =>
        new(organizationId, null, action, outcome, status, ActorType, Actor, target);

    private static (string Outcome, int Status) OutcomeOf(ErrorKind kind) => kind switch
    {
        ErrorKind.NotFound => (AuditOutcomes.NotFound, 404),
        ErrorKind.Conflict => (AuditOutcomes.Conflict, 409),
        ErrorKind.PreconditionFailed => (AuditOutcomes.Conflict, 412),
        ErrorKind.Forbidden => (AuditOutcomes.Denied, 403),
        ErrorKind.TooLarge => (AuditOutcomes.Invalid, 413),
        ErrorKind.Unavailable => (AuditOutcomes.Error, 503),
        _ => (AuditOutcomes.Invalid, 400),
    };
}
