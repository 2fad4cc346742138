namespace Integrations.Core.Sends;

/// <summary>One attempt of a send.</summary>
/// <param name="Number">1 for the first attempt.</param>
/// <param name="At">When it started.</param>
/// <param name="StatusCode">The receiver's status, or null when no response came (<paramref name="Error"/> says why).</param>
/// <param name="DurationMs">From sending to the response headers and the first <see cref="OutboundSend.MaxResponseBodyBytes"/> of the body.</param>
/// <param name="ResponseBody">The first 4 KiB of the response body, decoded as UTF-8 (invalid bytes replaced); null when none came.</param>
/// <param name="Error">Why no response came (refused target, timeout, network, open circuit, connection unusable); null when one came.</param>
public sealed record SendAttempt(int Number, DateTimeOffset At, int? StatusCode, long DurationMs, string? ResponseBody, string? Error)
{
    /// <summary>2xx.</summary>
    public bool Succeeded => StatusCode is >= 200 and < 300;

    /// <summary>Names the status only: a response body is the receiver's data and stays out of logs.</summary>
    public override string ToString() => $"SendAttempt {{ Number = {Number}, StatusCode = {StatusCode}, DurationMs = {DurationMs} }}";
}
