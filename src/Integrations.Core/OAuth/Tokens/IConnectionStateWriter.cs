using Integrations.Core.Common;
using Integrations.Core.Connections;

namespace Integrations.Core.OAuth.Tokens;

/// <summary>
/// How the token service changes a connection's <see cref="ConnectionState"/> (status, reason, token timing, granted
/// scopes, account). The implementation applies <c>change</c> to the current state under its ETag (re-reading and
/// re-applying on a conflict), audits a status change and appends its event to the project's outbox. When
/// <c>change</c> returns the state it was given (the same instance), nothing is written.
/// </summary>
/// <remarks>
/// A seam: at the merge of issue 8 this is implemented by the connections capability's state-change service, so that
/// every status change of a connection goes through one place.
/// </remarks>
public interface IConnectionStateWriter
{
    /// <summary>The state after the change (or as it was, when nothing changed), or why it could not be written (the connection is gone …).</summary>
    Task<Result<ConnectionState>> ChangeAsync(Connection connection, Func<ConnectionState, ConnectionState> change, string actor, CancellationToken cancellationToken = default);
}
