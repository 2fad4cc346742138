namespace Integrations.Api.Jobs;

/// <summary>What the job failure log may say about an exception: its type and a safe message.</summary>
public static class JobFailureReasons
{
    /// <summary>Stored reasons are short: enough to tell one failure from another, not a dump.</summary>
    public const int MaxLength = 300;

    /// <summary>
    /// The exception's type and the first line of its message, with the message body cut out wherever it appears.
    /// Exception messages in the hub never carry secrets (DESIGN.md); a queue message body might, and the first line
    /// leaves out the request and response dumps some client libraries append.
    /// </summary>
    public static string Describe(Exception exception, string messageBody)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(messageBody);
        var text = exception.Message;
        var newline = text.AsSpan().IndexOfAny('\r', '\n');
        if (newline >= 0)
        {
            text = text[..newline];
        }

        if (messageBody.Trim() is { Length: > 0 } body)
        {
            text = text.Replace(body, "[message body]", StringComparison.Ordinal);
        }

        return Limit($"{exception.GetType().FullName}: {text}");
    }

    /// <summary>Cuts <paramref name="reason"/> to <see cref="MaxLength"/> characters.</summary>
    public static string Limit(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return reason.Length <= MaxLength ? reason : string.Concat(reason.AsSpan(0, MaxLength - 1), "…");
    }
}
