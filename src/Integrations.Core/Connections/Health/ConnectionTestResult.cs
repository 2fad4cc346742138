namespace Integrations.Core.Connections.Health;

/// <summary>What a connection's test request found (the body of <c>POST …/test</c>).</summary>
/// <param name="Success">The provider answered 2xx.</param>
/// <param name="StatusCode">The provider's status, or null when no answer came.</param>
/// <param name="ResponseTimeMs">From sending to the answer (all attempts).</param>
/// <param name="Message">For a person; never a credential.</param>
/// <param name="Attempts">How many attempts the request took.</param>
public sealed record ConnectionTestResult(bool Success, int? StatusCode, long ResponseTimeMs, string Message, int Attempts);
