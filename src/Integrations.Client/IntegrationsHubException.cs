using System.Net;

namespace Integrations.Client;

/// <summary>
/// The hub answered with an error (an RFC 9457 problem details body, <c>application/problem+json</c>). <see cref="Type"/> is the
/// stable problem type (<c>urn:integrations-hub:problem:{code}</c>), <see cref="Code"/> its last part; catch a subclass for the
/// statuses a caller usually handles (<see cref="HubNotFoundException"/>, <see cref="HubConflictException"/> …), or this class for all.
/// The message never holds a secret: the hub's problem details never carry one, and the client adds only the status and title.
/// </summary>
public class IntegrationsHubException : Exception
{
    public IntegrationsHubException()
    {
    }

    public IntegrationsHubException(string message)
        : base(message)
    {
    }

    public IntegrationsHubException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception from an error response's problem details.</summary>
    public IntegrationsHubException(HubProblem problem)
        : base(MessageOf(problem))
    {
        ArgumentNullException.ThrowIfNull(problem);
        Problem = problem;
    }

    /// <summary>The problem details as the hub sent them (or as the client made them up for an error without a body).</summary>
    public HubProblem Problem { get; } = new(null, null, 0, null, null, null, null, null);

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status => (HttpStatusCode)Problem.Status;

    /// <summary>The problem type, e.g. <c>urn:integrations-hub:problem:secret_not_found</c>; <c>about:blank</c> or null when the hub sent none.</summary>
    public string? Type => Problem.Type;

    /// <summary>The stable error code (the hub's <c>code</c> extension).</summary>
    public string? Code => Problem.Code;

    /// <summary>A short summary of the kind of problem (<c>Not found</c>, <c>Conflict</c> …).</summary>
    public string? Title => Problem.Title;

    /// <summary>What went wrong, in words.</summary>
    public string? Detail => Problem.Detail;

    /// <summary>The request field at fault (<c>name</c>, <c>If-Match</c> …), when the problem concerns one.</summary>
    public string? Field => Problem.Field;

    /// <summary>The hub's trace id of the request (<c>traceId</c>): quote it to the hub's operators.</summary>
    public string? TraceId => Problem.TraceId;

    private static string MessageOf(HubProblem problem)
    {
        var message = $"The hub answered {problem.Status} {problem.Title}".TrimEnd();
        if (!string.IsNullOrEmpty(problem.Code))
        {
            message += $" ({problem.Code})";
        }

        if (!string.IsNullOrEmpty(problem.Detail))
        {
            message += ": " + problem.Detail;
        }

        return problem.TraceId is null ? message : message + $" [trace {problem.TraceId}]";
    }
}

/// <summary>An RFC 9457 problem details body of the hub, with its <c>code</c> and <c>field</c> extensions and the trace id.</summary>
public sealed record HubProblem(string? Type, string? Title, int Status, string? Detail, string? Code, string? Field, string? TraceId, string? Instance);

/// <summary>400: the request is invalid (<see cref="IntegrationsHubException.Field"/> names what is wrong).</summary>
public class HubValidationException : IntegrationsHubException
{
    public HubValidationException() { }
    public HubValidationException(string message) : base(message) { }
    public HubValidationException(string message, Exception innerException) : base(message, innerException) { }
    public HubValidationException(HubProblem problem) : base(problem) { }
}

/// <summary>401: the API key is missing, unknown, expired or revoked.</summary>
public class HubUnauthorizedException : IntegrationsHubException
{
    public HubUnauthorizedException() { }
    public HubUnauthorizedException(string message) : base(message) { }
    public HubUnauthorizedException(string message, Exception innerException) : base(message, innerException) { }
    public HubUnauthorizedException(HubProblem problem) : base(problem) { }
}

/// <summary>403: the API key lacks the scope, or may not reach that project.</summary>
public class HubForbiddenException : IntegrationsHubException
{
    public HubForbiddenException() { }
    public HubForbiddenException(string message) : base(message) { }
    public HubForbiddenException(string message, Exception innerException) : base(message, innerException) { }
    public HubForbiddenException(HubProblem problem) : base(problem) { }
}

/// <summary>404: no such resource (or one this key may not know of).</summary>
public class HubNotFoundException : IntegrationsHubException
{
    public HubNotFoundException() { }
    public HubNotFoundException(string message) : base(message) { }
    public HubNotFoundException(string message, Exception innerException) : base(message, innerException) { }
    public HubNotFoundException(HubProblem problem) : base(problem) { }
}

/// <summary>409: the change conflicts with the resource's state (a name taken, a secret already deleted …).</summary>
public class HubConflictException : IntegrationsHubException
{
    public HubConflictException() { }
    public HubConflictException(string message) : base(message) { }
    public HubConflictException(string message, Exception innerException) : base(message, innerException) { }
    public HubConflictException(HubProblem problem) : base(problem) { }
}

/// <summary>412: an <c>If-Match</c> precondition failed: someone changed the resource since you read it.</summary>
public class HubPreconditionFailedException : IntegrationsHubException
{
    public HubPreconditionFailedException() { }
    public HubPreconditionFailedException(string message) : base(message) { }
    public HubPreconditionFailedException(string message, Exception innerException) : base(message, innerException) { }
    public HubPreconditionFailedException(HubProblem problem) : base(problem) { }
}

/// <summary>413: the request (a secret value, a body) is larger than the hub accepts.</summary>
public class HubPayloadTooLargeException : IntegrationsHubException
{
    public HubPayloadTooLargeException() { }
    public HubPayloadTooLargeException(string message) : base(message) { }
    public HubPayloadTooLargeException(string message, Exception innerException) : base(message, innerException) { }
    public HubPayloadTooLargeException(HubProblem problem) : base(problem) { }
}

/// <summary>429: rate limited, after the client's own retries (if any) were spent. <see cref="RetryAfter"/> says when to try again.</summary>
public class HubRateLimitedException : IntegrationsHubException
{
    public HubRateLimitedException() { }
    public HubRateLimitedException(string message) : base(message) { }
    public HubRateLimitedException(string message, Exception innerException) : base(message, innerException) { }
    public HubRateLimitedException(HubProblem problem, TimeSpan? retryAfter) : base(problem) => RetryAfter = retryAfter;

    /// <summary>The hub's <c>Retry-After</c>, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; }
}
