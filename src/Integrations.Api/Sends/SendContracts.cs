using Integrations.Core.Sends;

namespace Integrations.Api.Sends;

/// <summary>A send as the API shows it: where it stands and every attempt, never the request's path, query, headers or body.</summary>
/// <param name="Target">The receiver's scheme, host and port.</param>
public sealed record SendResponse(
    string Id, string Status, string Mode, string Method, string Target, string? ConnectionId, int MaxAttempts, IReadOnlyList<SendAttemptResponse> Attempts,
    string? Reason, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? NextAttemptAt)
{
    public static SendResponse From(OutboundSend send)
    {
        ArgumentNullException.ThrowIfNull(send);
        return new(send.Id, StatusOf(send.State), send.Mode == SendMode.Blocking ? "blocking" : "fire-and-forget", send.Method, send.Target, send.ConnectionId,
            send.Retry.MaxAttempts, send.Attempts.Select(SendAttemptResponse.From).ToList(), send.Reason, send.CreatedAt, send.UpdatedAt, send.NextAttemptAt);
    }

    private static string StatusOf(SendState state) => state switch
    {
        SendState.Pending => "pending",
        SendState.Retrying => "retrying",
        SendState.Delivered => "delivered",
        _ => "failed",
    };
}

/// <summary>One attempt: <c>status_code</c> null when no response came (<c>error</c> says why).</summary>
public sealed record SendAttemptResponse(int Number, DateTimeOffset At, int? StatusCode, long DurationMs, string? ResponseBody, string? Error)
{
    public static SendAttemptResponse From(SendAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return new(attempt.Number, attempt.At, attempt.StatusCode, attempt.DurationMs, attempt.ResponseBody, attempt.Error);
    }
}

/// <summary>The answer of a fire-and-forget send.</summary>
public sealed record SendAcceptedResponse(string Id, string Status);

/// <summary>The answer when the condition is false: nothing was stored or sent.</summary>
public sealed record SendSkippedResponse(bool Skipped);
