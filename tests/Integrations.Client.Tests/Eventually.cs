namespace Integrations.Client.Tests;

/// <summary>
/// Polls the hub until what it answers holds, for state the hub reaches after a test's request (a delivery's outcome written
/// after the receiver answered, counters flushed each second). Polls every 250 ms: each tenant's key has a budget of
/// <see cref="HubServer.RequestsPerMinute"/> requests.
/// </summary>
public static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> holds, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await read();
            if (holds(value))
            {
                return value;
            }

            if (cancel.IsCancellationRequested)
            {
                return value; // the caller's assertion says what was expected
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None);
        }
    }
}
