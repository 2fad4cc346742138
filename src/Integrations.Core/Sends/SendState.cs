namespace Integrations.Core.Sends;

/// <summary>Where a direct send stands.</summary>
public enum SendState
{
    /// <summary>Accepted, no attempt made yet (fire-and-forget before its first attempt).</summary>
    Pending,

    /// <summary>An attempt failed and another is scheduled on the queue.</summary>
    Retrying,

    /// <summary>An attempt got a 2xx.</summary>
    Delivered,

    /// <summary>The last attempt failed, or the failure was one retrying cannot help (refused target, 4xx).</summary>
    Failed,
}

/// <summary>How the caller waits for a send.</summary>
public enum SendMode
{
    /// <summary>The first attempt runs in the request; its outcome is the answer. Later attempts run on the queue.</summary>
    Blocking,

    /// <summary>Stored and queued; the answer is 202 with the id.</summary>
    FireAndForget,
}
