using System.Text;
using Integrations.Core.Common;
using Integrations.Core.OutboundWebhooks;

namespace Integrations.Core.Tests.OutboundWebhooks;

public sealed class OutboundMessageValidationTests
{
    private const int Max = 2048;

    private static readonly byte[] Payload = """{"amount":10,"currency":"eur"}"""u8.ToArray();

    [Fact]
    public void Validate_GoodMessage_Null()
    {
        Assert.Null(OutboundMessageService.Validate("invoice.paid", Payload, "key-1", Max));
        Assert.Null(OutboundMessageService.Validate("invoice.paid", Payload, null, Max));
    }

    [Theory]
    [InlineData("[1,2,3]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData(" {\"a\": {\"b\": [true, null]}} ")]
    public void Validate_AnyJsonValue_Null(string payload) =>
        Assert.Null(OutboundMessageService.Validate("invoice.paid", Encoding.UTF8.GetBytes(payload), null, Max));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("invoice.*")]
    [InlineData("invoice..paid")]
    public void Validate_BadEventType_InvalidEventType(string? eventType)
    {
        var error = OutboundMessageService.Validate(eventType, Payload, null, Max);

        Assert.Equal(OutboundMessageErrors.InvalidEventType, error?.Code);
        Assert.Equal("event_type", error?.Field);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"a\":1} {\"b\":2}")]
    [InlineData("{'a':1}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("/* c */ {}")]
    public void Validate_NotOneJsonValue_InvalidPayload(string payload)
    {
        var error = OutboundMessageService.Validate("invoice.paid", Encoding.UTF8.GetBytes(payload), null, Max);

        Assert.Equal(OutboundMessageErrors.InvalidPayload, error?.Code);
    }

    [Fact]
    public void Validate_NestedDeeperThan64_InvalidPayload()
    {
        var deep = new string('[', 65) + new string(']', 65);

        Assert.Equal(OutboundMessageErrors.InvalidPayload, OutboundMessageService.Validate("a", Encoding.UTF8.GetBytes(deep), null, Max)?.Code);
    }

    [Fact]
    public void Validate_PayloadOverTheLimit_TooLarge()
    {
        var payload = Encoding.UTF8.GetBytes("\"" + new string('x', Max - 1) + "\"");

        var error = OutboundMessageService.Validate("invoice.paid", payload, null, Max);

        Assert.Equal(ErrorKind.TooLarge, error?.Kind);
        Assert.Equal(OutboundMessageErrors.PayloadTooLarge, error?.Code);
    }

    [Fact]
    public void Validate_PayloadAtTheLimit_Null()
    {
        var payload = Encoding.UTF8.GetBytes("\"" + new string('x', Max - 2) + "\"");

        Assert.Null(OutboundMessageService.Validate("invoice.paid", payload, null, Max));
    }

    [Theory]
    [InlineData("")]
    [InlineData("key\u0000")]
    [InlineData("key\u202e")]
    [InlineData("line\nbreak")]
    public void Validate_KeyThatDoesNotPrint_InvalidIdempotencyKey(string key) =>
        Assert.Equal(OutboundMessageErrors.InvalidIdempotencyKey, OutboundMessageService.Validate("invoice.paid", Payload, key, Max)?.Code);

    [Fact]
    public void Validate_KeyLongerThan256_InvalidIdempotencyKey()
    {
        Assert.Null(OutboundMessageService.Validate("invoice.paid", Payload, new string('k', 256), Max));
        Assert.Equal(OutboundMessageErrors.InvalidIdempotencyKey, OutboundMessageService.Validate("invoice.paid", Payload, new string('k', 257), Max)?.Code);
    }
}
