using System.Globalization;
using System.Net;
using Integrations.Http.Resilience;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Http.Tests.Resilience;

public sealed class RetryAfterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Read_DelaySeconds_IsThatDelay()
    {
        using var response = Response("7");

        Assert.Equal(TimeSpan.FromSeconds(7), RetryAfter.Read(response, _time));
    }

    [Fact]
    public void Read_HttpDate_IsTheTimeUntilThen()
    {
        using var response = Response(_time.GetUtcNow().AddSeconds(90).ToString("R", CultureInfo.InvariantCulture));

        Assert.Equal(TimeSpan.FromSeconds(90), RetryAfter.Read(response, _time));
    }

    [Fact]
    public void Read_HttpDateInThePast_IsZero()
    {
        using var response = Response(_time.GetUtcNow().AddMinutes(-5).ToString("R", CultureInfo.InvariantCulture));

        Assert.Equal(TimeSpan.Zero, RetryAfter.Read(response, _time));
    }

    [Fact]
    public void Read_NoHeader_IsNull()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);

        Assert.Null(RetryAfter.Read(response, _time));
    }

    private static HttpResponseMessage Response(string retryAfter)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        return response;
    }
}
