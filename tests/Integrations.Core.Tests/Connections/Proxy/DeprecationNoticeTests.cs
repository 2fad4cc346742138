using Integrations.Core.Connections.Proxy;

namespace Integrations.Core.Tests.Connections.Proxy;

public sealed class DeprecationNoticeTests
{
    [Fact]
    public void Parse_Rfc9745StructuredDate_IsTheDeprecationTime()
    {
        // RFC 9745 §2.1 example: "Deprecation: @1688169599" (Friday, June 30, 2023 23:59:59 UTC).
        var notice = DeprecationNotice.Parse([H("Deprecation", "@1688169599")]);

        Assert.Equal(new DateTimeOffset(2023, 6, 30, 23, 59, 59, TimeSpan.Zero), notice?.DeprecatedAt);
        Assert.Null(notice?.SunsetAt);
    }

    [Fact]
    public void Parse_Rfc8594Sunset_IsTheSunsetTime()
    {
        // RFC 8594 §3 example: "Sunset: Sat, 31 Dec 2018 23:59:59 GMT".
        var notice = DeprecationNotice.Parse([H("Sunset", "Sat, 31 Dec 2018 23:59:59 GMT")]);

        Assert.Equal(new DeprecationNotice(null, new DateTimeOffset(2018, 12, 31, 23, 59, 59, TimeSpan.Zero)), notice);
    }

    [Fact]
    public void Parse_LegacyTrueWithSunset_IsDeprecatedWithoutADate()
    {
        // draft-dalal-deprecation-header-00: "Deprecation: true".
        var notice = DeprecationNotice.Parse([H("deprecation", "true"), H("sunset", "Sat, 31 Dec 2018 23:59:59 GMT")]);

        Assert.NotNull(notice);
        Assert.Null(notice.DeprecatedAt);
        Assert.Equal(2018, notice.SunsetAt?.Year);
    }

    [Fact]
    public void Parse_LegacyHttpDate_IsTheDeprecationTime()
    {
        // draft-dalal-deprecation-header-01 §2.1: "Deprecation: Sun, 11 Nov 2018 23:59:59 GMT".
        var notice = DeprecationNotice.Parse([H("Deprecation", "Sun, 11 Nov 2018 23:59:59 GMT")]);

        Assert.Equal(new DateTimeOffset(2018, 11, 11, 23, 59, 59, TimeSpan.Zero), notice?.DeprecatedAt);
    }

    [Theory]
    [InlineData("Deprecation", "false")]
    [InlineData("Deprecation", "soon")]
    [InlineData("Deprecation", "@notanumber")]
    [InlineData("Sunset", "next year")]
    [InlineData("Link", "<https://example.com/deprecation>; rel=\"deprecation\"")]
    public void Parse_NoReadableNotice_IsNull(string name, string value) =>
        Assert.Null(DeprecationNotice.Parse([H(name, value)]));

    private static KeyValuePair<string, string> H(string name, string value) => KeyValuePair.Create(name, value);
}
