using Integrations.Core.Connections.Proxy;

namespace Integrations.Core.Tests.Connections.Proxy;

public sealed class RateLimitHeadroomTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_GitHubXRateLimit_ReadsTheResetAsUnixSeconds()
    {
        // docs.github.com "Rate limits for the REST API": x-ratelimit-reset is in UTC epoch seconds.
        var headroom = RateLimitHeadroom.Parse([H("x-ratelimit-limit", "5000"), H("x-ratelimit-remaining", "4999"), H("x-ratelimit-reset", "1372700873")], Now);

        Assert.Equal(new RateLimitHeadroom(5000, 4999, DateTimeOffset.FromUnixTimeSeconds(1372700873)), headroom);
    }

    [Fact]
    public void Parse_XRateLimitResetAsDeltaSeconds_CountsFromNow()
    {
        var headroom = RateLimitHeadroom.Parse([H("X-RateLimit-Limit", "100"), H("X-RateLimit-Remaining", "0"), H("X-RateLimit-Reset", "30")], Now);

        Assert.Equal(new RateLimitHeadroom(100, 0, Now.AddSeconds(30)), headroom);
    }

    [Fact]
    public void Parse_XRateLimitResetInMilliseconds_IsReadAsUnixMilliseconds()
    {
        var headroom = RateLimitHeadroom.Parse([H("X-RateLimit-Remaining", "3"), H("X-RateLimit-Reset", "1764493230000")], Now);

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1764493230000), headroom?.ResetAt);
        Assert.Null(headroom?.Limit);
    }

    [Fact]
    public void Parse_IetfDraftFieldsWithQuotaPolicy_TakesTheFirstNumber()
    {
        // draft-ietf-httpapi-ratelimit-headers-03 §3.1 example: "RateLimit-Limit: 10, 10;w=1, 50;w=60".
        var headroom = RateLimitHeadroom.Parse([H("RateLimit-Limit", "10, 10;w=1, 50;w=60"), H("RateLimit-Remaining", "9"), H("RateLimit-Reset", "1")], Now);

        Assert.Equal(new RateLimitHeadroom(10, 9, Now.AddSeconds(1)), headroom);
    }

    [Fact]
    public void Parse_IetfDraft07Dictionary_IsRead()
    {
        // draft-ietf-httpapi-ratelimit-headers-07 §3: "RateLimit: limit=10, remaining=1, reset=7".
        var headroom = RateLimitHeadroom.Parse([H("RateLimit", "limit=10, remaining=1, reset=7"), H("X-RateLimit-Remaining", "99")], Now);

        Assert.Equal(new RateLimitHeadroom(10, 1, Now.AddSeconds(7)), headroom);
    }

    [Fact]
    public void Parse_IetfDraft08PolicyList_TakesTheBindingPolicyAndItsQuota()
    {
        // draft-ietf-httpapi-ratelimit-headers-08 §4 and §5: RateLimit-Policy "name";q=;w= with RateLimit "name";r=;t=.
        var headroom = RateLimitHeadroom.Parse(
        [
            H("RateLimit-Policy", "\"burst\";q=100;w=60, \"daily\";q=1000;w=86400"),
            H("RateLimit", "\"burst\";r=50;t=30, \"daily\";r=20;t=3600"),
        ], Now);

        Assert.Equal(new RateLimitHeadroom(1000, 20, Now.AddSeconds(3600)), headroom);
    }

    [Theory]
    [InlineData("X-Request-Id", "1")]
    [InlineData("X-RateLimit-Remaining", "lots")]
    [InlineData("X-RateLimit-Reset", "30")]
    public void Parse_NoReadableCount_IsNull(string name, string value) =>
        Assert.Null(RateLimitHeadroom.Parse([H(name, value)], Now));

    private static KeyValuePair<string, string> H(string name, string value) => KeyValuePair.Create(name, value);
}
