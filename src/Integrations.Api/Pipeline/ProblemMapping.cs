using Integrations.Api.Http;
using Integrations.Core.Audit;
using Integrations.Core.Crypto;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Integrations.Api.Pipeline;

/// <summary>
/// Step 5: what an exception from a handler becomes. Expected outcomes are values (<see cref="Core.Common.HubError"/>)
/// and never get here; these are the failures of the machinery: tampered storage (500 integrity), an unreachable key
/// (503) or audit log (503), and anything else (500 naming only the request id — never a message that could hold input).
/// </summary>
public sealed partial class ProblemMapping(ILogger<ProblemMapping> logger)
{
    /// <summary>The problem for <paramref name="exception"/>; null when the request must be refused as unaudited (the audit log failed).</summary>
    public IResult? Map(Exception exception, HttpContext context, string route)
    {
        ArgumentNullException.ThrowIfNull(context);
        switch (exception)
        {
            case SecretIntegrityException:
                Log.IntegrityFailure(logger, exception, route, context.TraceIdentifier);
                return ApiProblems.IntegrityFailure(context.TraceIdentifier);
            case AuditUnavailableException:
                return null;
            case KeyUnavailableException:
                return ApiProblems.KeyUnavailable();
            default:
                Log.UnexpectedFailure(logger, exception, route, context.TraceIdentifier);
                return ApiProblems.InternalError(context.TraceIdentifier);
        }
    }

    /// <summary>A credential store could not be reached while authenticating.</summary>
    public IResult AuthenticationUnavailable(Exception exception, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Log.AuthenticationUnavailable(logger, exception, context.TraceIdentifier);
        return ApiProblems.CredentialsUnavailable();
    }

    /// <summary>Storage failed while the request's scope was being resolved.</summary>
    public IResult ScopeUnavailable(Exception exception, HttpContext context, string route)
    {
        ArgumentNullException.ThrowIfNull(context);
        Log.UnexpectedFailure(logger, exception, route, context.TraceIdentifier);
        return ApiProblems.StorageUnavailable();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Request {RequestId} ({Route}) failed unexpectedly.")]
        public static partial void UnexpectedFailure(ILogger logger, Exception exception, string route, string requestId);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Critical, Message = "Request {RequestId} ({Route}): a stored value failed authentication (tampering or a missing key).")]
        public static partial void IntegrityFailure(ILogger logger, Exception exception, string route, string requestId);

        [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "Request {RequestId}: credentials could not be checked (storage unavailable).")]
        public static partial void AuthenticationUnavailable(ILogger logger, Exception exception, string requestId);
    }
}
