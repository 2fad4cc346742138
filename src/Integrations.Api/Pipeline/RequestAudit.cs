namespace Integrations.Api.Pipeline;

/// <summary>What a handler tells the audit log about its request beyond what the pipeline knows.</summary>
public sealed class RequestAudit
{
    /// <summary>The project the record belongs to: set only once the project is verified (or created by the request).</summary>
    public string? ProjectId { get; set; }

    /// <summary>Where the request came from (<see cref="SourceAddress"/>), resolved once by the pipeline.</summary>
    public string? SourceAddress { get; init; }

    /// <summary>The object acted on, e.g. <c>secret/db-password</c>. Never a value.</summary>
    public string? Target { get; set; }
}
