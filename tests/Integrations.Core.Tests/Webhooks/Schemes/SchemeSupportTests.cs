using Integrations.Core.Webhooks;
using Integrations.Core.Webhooks.Schemes;
using static Integrations.Core.Tests.Webhooks.Schemes.SchemeTestKit;

namespace Integrations.Core.Tests.Webhooks.Schemes;

public sealed class SchemeSupportTests
{
    private const string Json = """{"id":"evt_1","n":12345678901234,"a/b":"slash","m~n":"tilde","event":{"type":"t","list":[{"x":"zero"},{"x":"one"}]},"esc\u0061ped":"yes","flag":true}""";

    [Theory]
    [InlineData("/id", "evt_1")]
    [InlineData("/n", "12345678901234")]
    [InlineData("/a~1b", "slash")]
    [InlineData("/m~0n", "tilde")]
    [InlineData("/event/type", "t")]
    [InlineData("/event/list/1/x", "one")]
    [InlineData("/escaped", "yes")]
    [InlineData("/flag", null)]
    [InlineData("/event", null)]
    [InlineData("/missing", null)]
    [InlineData("/event/list/2/x", null)]
    [InlineData("/event/list/01/x", null)]
    [InlineData("/event/list/-1/x", null)]
    [InlineData("id", null)]
    [InlineData("", null)]
    public void ReadJsonText_FollowsRfc6901(string jsonPointer, string? expected) => Assert.Equal(expected, SchemeSupport.ReadJsonText(Utf8(Json), jsonPointer));

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"id\":")]
    [InlineData("[1,2]")]
    [InlineData("{\"id\":\"\\ud800\"}")]
    public void ReadJsonText_BodyThatIsNotAnObjectOrNotJson_IsNull(string body) => Assert.Null(SchemeSupport.ReadJsonText(Utf8(body), "/id"));

    [Fact]
    public void ReadJsonText_InvalidUtf8_IsNull() => Assert.Null(SchemeSupport.ReadJsonText([(byte)'{', (byte)'"', 0xFF, (byte)'"', (byte)':', (byte)'1', (byte)'}'], "/id"));

    [Fact]
    public void ReadJsonText_DeeperThanTheLimit_IsNull()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);

        Assert.Null(SchemeSupport.ReadJsonText(Utf8(deep), "/a"));
    }

    [Fact]
    public void ReadJsonText_FirstOfDuplicatedProperties_IsTaken() => Assert.Equal("first", SchemeSupport.ReadJsonText(Utf8("""{"id":"first","id":"second"}"""), "/id"));

    [Theory]
    [InlineData("""{"ts":1764500000000}""", "Found", 1764500000000)]
    [InlineData("""{"ts":"1764500000000"}""", "Invalid", 0)]
    [InlineData("""{"ts":1.5}""", "Invalid", 0)]
    [InlineData("""{"ts":99999999999999999999}""", "Invalid", 0)]
    [InlineData("""{"other":1}""", "Absent", 0)]
    [InlineData("""nope""", "Absent", 0)]
    public void ReadJsonInt64_TellsFoundInvalidAndAbsentApart(string body, string expected, long value)
    {
        var lookup = SchemeSupport.ReadJsonInt64(Utf8(body), "/ts", out var read);

        Assert.Equal((expected, value), (lookup.ToString(), read));
    }

    [Theory]
    [InlineData("0", true, 0)]
    [InlineData("1764500000", true, 1764500000)]
    [InlineData("9223372036854775807", true, long.MaxValue)]
    [InlineData("9223372036854775808", false, 0)]
    [InlineData("00000000000000000001", false, 0)]
    [InlineData("-1", false, 0)]
    [InlineData("+1", false, 0)]
    [InlineData(" 1", false, 0)]
    [InlineData("1 ", false, 0)]
    [InlineData("1e3", false, 0)]
    [InlineData("", false, 0)]
    [InlineData("١٢", false, 0)]
    public void TryParseUnixTime_AcceptsAsciiDigitsThatFitAnInt64(string text, bool ok, long expected)
    {
        var parsed = SchemeSupport.TryParseUnixTime(text, out var value);

        Assert.Equal((ok, ok ? expected : 0), (parsed, ok ? value : 0));
    }

    [Fact]
    public void TryParseUnixTime_NotATime_RefusalNamesTheFieldNotTheValue()
    {
        var parsed = SchemeSupport.TryParseUnixTime("17645x00000", "X-Test-Timestamp header", "milliseconds", out _, out var refusal);

        Assert.False(parsed);
        Assert.Equal(WebhookRefusal.Malformed, refusal?.Refusal);
        Assert.Contains("X-Test-Timestamp header", refusal!.Reason, StringComparison.Ordinal);
        Assert.Contains("milliseconds", refusal.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("17645x00000", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NoMatch_NoKeys_IsTheSameRefusalAsNoKeys() =>
        Assert.Equal(SchemeSupport.NoKeys().Reason, SchemeSupport.NoMatch("X-Sig", 0, "this body").Reason);

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(0L)]
    public void CheckTolerance_ExtremeTimes_AreStaleNotAnOverflow(long signedAt) =>
        Assert.Equal(WebhookRefusal.Stale, SchemeSupport.CheckTolerance(signedAt, DateTimeOffset.FromUnixTimeSeconds(1_764_500_000), 300, "timestamp")?.Refusal);

    [Fact]
    public void CheckTolerance_NegativeToleranceSetting_AcceptsOnlyTheExactSecond()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_764_500_000);

        Assert.Null(SchemeSupport.CheckTolerance(1_764_500_000, now, -5, "timestamp"));
        Assert.NotNull(SchemeSupport.CheckTolerance(1_764_500_001, now, -5, "timestamp"));
    }

    [Theory]
    [InlineData("00ff", true)]
    [InlineData("00FF", true)]
    [InlineData("00f", false)]
    [InlineData("00fff0", false)]
    [InlineData("0g0f", false)]
    [InlineData("", false)]
    public void TryDecodeHex_NeedsExactlyTheDestinationsLength(string hex, bool ok) => Assert.Equal(ok, SchemeSupport.TryDecodeHex(hex, new byte[2]));

    [Fact]
    public void MacMatches_ComparesEveryCandidate()
    {
        var key = Utf8("k");
        var message = Utf8("m");
        var mac = System.Security.Cryptography.HMACSHA256.HashData(key, message);
        byte[] candidates = [.. new byte[32], .. mac, .. new byte[32]];

        Assert.True(SchemeSupport.MacMatches(System.Security.Cryptography.HashAlgorithmName.SHA256, key, message, candidates, 32));
        Assert.False(SchemeSupport.MacMatches(System.Security.Cryptography.HashAlgorithmName.SHA256, key, message, candidates.AsSpan(0, 32), 32));
        Assert.False(SchemeSupport.MacMatches(System.Security.Cryptography.HashAlgorithmName.SHA256, key, message, mac, 20));
    }

    [Fact]
    public void MacMatchesUtf8Key_LongSecret_UsesThePooledBuffer()
    {
        var secret = new string('s', 1000);
        var message = Utf8("m");
        var mac = System.Security.Cryptography.HMACSHA256.HashData(Utf8(secret), message);

        Assert.True(SchemeSupport.MacMatchesUtf8Key(System.Security.Cryptography.HashAlgorithmName.SHA256, secret, message, mac, 32));
    }
}
