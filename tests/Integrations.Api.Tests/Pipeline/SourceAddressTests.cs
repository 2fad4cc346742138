using System.Net;
using Integrations.Api.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Tests.Pipeline;

public sealed class SourceAddressTests
{
    private static DefaultHttpContext Request(string? forwardedFor)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        if (forwardedFor is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }

        return context;
    }

    [Fact]
    public void Of_NotTrustingForwardedFor_IsTheConnectionsPeer_WhateverTheClientClaims()
    {
        Assert.Equal("127.0.0.1", SourceAddress.Of(Request("198.51.100.7"), trustForwardedFor: false));
    }

    [Theory]
    [InlineData("198.51.100.7", "198.51.100.7")]
    [InlineData("192.0.2.1, 198.51.100.7", "198.51.100.7")]
    [InlineData("forged, 203.0.113.9:51234", "203.0.113.9")]
    [InlineData("[2001:db8::1]:443", "2001:db8::1")]
    public void Of_TrustingForwardedFor_IsTheLastEntry_TheOneTheFrontEndAdded(string header, string expected)
    {
        Assert.Equal(expected, SourceAddress.Of(Request(header), trustForwardedFor: true));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-an-address")]
    public void Of_TrustingForwardedFor_WithoutAUsableEntry_FallsBackToThePeer(string? header)
    {
        Assert.Equal("127.0.0.1", SourceAddress.Of(Request(header), trustForwardedFor: true));
    }
}
