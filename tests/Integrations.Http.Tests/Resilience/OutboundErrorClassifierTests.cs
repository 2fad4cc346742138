using System.Net;
using System.Net.Sockets;
using Integrations.Http.Guard;
using Integrations.Http.Limits;
using Integrations.Http.Resilience;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Integrations.Http.Tests.Resilience;

public sealed class OutboundErrorClassifierTests
{
    [Theory]
    [InlineData(200, null)]
    [InlineData(204, null)]
    [InlineData(302, null)]
    [InlineData(304, null)]
    [InlineData(400, "VALIDATION_ERROR")]
    [InlineData(401, "AUTH_ERROR")]
    [InlineData(403, "PERMISSION_ERROR")]
    [InlineData(404, "NOT_FOUND_ERROR")]
    [InlineData(405, "CLIENT_ERROR")]
    [InlineData(408, "TIMEOUT_ERROR")]
    [InlineData(409, "CLIENT_ERROR")]
    [InlineData(410, "NOT_FOUND_ERROR")]
    [InlineData(422, "VALIDATION_ERROR")]
    [InlineData(429, "RATE_LIMIT_ERROR")]
    [InlineData(500, "SERVER_ERROR")]
    [InlineData(503, "SERVER_ERROR")]
    [InlineData(599, "SERVER_ERROR")]
    public void Classify_Status_MapsToItsClass(int status, string? code)
    {
        Assert.Equal(code, OutboundErrorClassifier.Classify((HttpStatusCode)status)?.Code());
    }

    public static TheoryData<Exception, OutboundErrorKind> Exceptions => new()
    {
        { new HttpRequestException("connect", new OutboundRequestRefusedException("10.0.0.1", "address 10.0.0.1 is in a private range (10.0.0.0/8)")), OutboundErrorKind.TargetRefused },
        { new HttpRequestException("copy", new OutboundResponseTooLargeException(10)), OutboundErrorKind.ResponseTooLarge },
        { new OutboundResponseTooLargeException(10, 20), OutboundErrorKind.ResponseTooLarge },
        { new BrokenCircuitException(), OutboundErrorKind.CircuitOpen },
        { new TimeoutRejectedException(), OutboundErrorKind.Timeout },
        { new TaskCanceledException("connect timeout", new TimeoutException()), OutboundErrorKind.Timeout },
        { new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused)), OutboundErrorKind.Network },
        { new SocketException((int)SocketError.HostNotFound), OutboundErrorKind.Network },
        { new IOException("reset"), OutboundErrorKind.Network },
    };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void Classify_Exception_MapsToItsClass(Exception exception, OutboundErrorKind kind)
    {
        Assert.Equal(kind, OutboundErrorClassifier.Classify(exception));
    }

    [Fact]
    public void Classify_ProgrammingError_IsNoOutboundError()
    {
        Assert.Null(OutboundErrorClassifier.Classify(new InvalidOperationException("bug")));
    }

    [Theory]
    [InlineData(OutboundErrorKind.Auth, true)]
    [InlineData(OutboundErrorKind.RateLimit, true)]
    [InlineData(OutboundErrorKind.Network, true)]
    [InlineData(OutboundErrorKind.Timeout, true)]
    [InlineData(OutboundErrorKind.Server, true)]
    [InlineData(OutboundErrorKind.Permission, false)]
    [InlineData(OutboundErrorKind.NotFound, false)]
    [InlineData(OutboundErrorKind.Validation, false)]
    [InlineData(OutboundErrorKind.Client, false)]
    [InlineData(OutboundErrorKind.TargetRefused, false)]
    [InlineData(OutboundErrorKind.ResponseTooLarge, false)]
    [InlineData(OutboundErrorKind.CircuitOpen, false)]
    public void IsRetried_EachClass_FollowsTheTaxonomy(OutboundErrorKind kind, bool retried)
    {
        Assert.Equal(retried, kind.IsRetried());
    }

    [Fact]
    public void Code_EveryKind_HasADistinctCode()
    {
        var codes = Enum.GetValues<OutboundErrorKind>().Select(kind => kind.Code()).ToList();

        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
    }
}
