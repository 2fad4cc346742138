using Integrations.Core.OutboundWebhooks;

namespace Integrations.Core.Tests.OutboundWebhooks;

public sealed class OutboundEventTypesTests
{
    [Theory]
    [InlineData("invoice.paid")]
    [InlineData("invoice")]
    [InlineData("order-line_item.created.v2")]
    [InlineData("A.B.C")]
    public void IsValid_DotSeparatedSegmentsOfAllowedCharacters_True(string eventType) => Assert.True(OutboundEventTypes.IsValid(eventType));

    [Theory]
    [InlineData("")]
    [InlineData(".invoice")]
    [InlineData("invoice.")]
    [InlineData("invoice..paid")]
    [InlineData("invoice.*")]
    [InlineData("invoice paid")]
    [InlineData("invoice/paid")]
    [InlineData("facture.payée")]
    [InlineData("invoice.paid\n")]
    public void IsValid_OtherShapes_False(string eventType) => Assert.False(OutboundEventTypes.IsValid(eventType));

    [Fact]
    public void IsValid_LongerThan128_False()
    {
        Assert.True(OutboundEventTypes.IsValid(new string('a', 128)));
        Assert.False(OutboundEventTypes.IsValid(new string('a', 129)));
    }

    [Theory]
    [InlineData("stripe", "customer.created", "inbound.stripe.customer.created")]
    [InlineData("git hub", "pull_request", "inbound.git_hub.pull_request")]
    [InlineData("shop", "orders/create", "inbound.shop.orders_create")]
    [InlineData("shop", "a..b", "inbound.shop.a._.b")]
    [InlineData("shop", "*", "inbound.shop._")]
    [InlineData("shop", ".x.", "inbound.shop._.x._")]
    [InlineData("shop", "événement", "inbound.shop._v_nement")]
    public void Compose_SomeoneElsesText_ReplacesWhatIsNotAllowed(string source, string type, string expected)
    {
        var composed = OutboundEventTypes.Compose("inbound", source, type);

        Assert.Equal(expected, composed);
        Assert.True(OutboundEventTypes.IsValid(composed));
    }

    [Fact]
    public void Compose_TooLong_CutTo128AndStillValid()
    {
        var composed = OutboundEventTypes.Compose("inbound", "src", new string('x', 122) + ".yyyy");

        Assert.Equal(OutboundEventTypes.MaxLength, composed.Length);
        Assert.True(OutboundEventTypes.IsValid(composed));
    }

    [Fact]
    public void Compose_CutRightAfterADot_NeverEndsInADot()
    {
        // "inbound." (8) + "s." (2) + 117 'x' = 127 characters, then the dot of the next segment would be the 128th.
        var composed = OutboundEventTypes.Compose("inbound", "s", new string('x', 117) + ".tail");

        Assert.Equal(OutboundEventTypes.MaxLength, composed.Length);
        Assert.NotEqual('.', composed[^1]);
        Assert.True(OutboundEventTypes.IsValid(composed));
    }
}
