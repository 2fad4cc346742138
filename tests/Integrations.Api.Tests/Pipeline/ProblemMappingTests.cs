using Integrations.Api.Pipeline;
using Integrations.Core.Audit;
using Integrations.Core.Crypto;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;

namespace Integrations.Api.Tests.Pipeline;

public sealed class ProblemMappingTests
{
    private readonly ProblemMapping _mapping = new(NullLogger<ProblemMapping>.Instance);

    [Theory]
    [InlineData("integrity", 500, "integrity")]
    [InlineData("keys", 503, "keys-unavailable")]
    [InlineData("bug", 500, "internal")]
    public void Map_MachineryFailures_BecomeStableProblems_ThatNameOnlyTheRequestId(string failure, int status, string code)
    {
        Exception exception = failure switch
        {
            "integrity" => new SecretIntegrityException("tag mismatch for sk_live_123"),
            "keys" => new KeyUnavailableException("kek_1 unreachable"),
            _ => new InvalidOperationException("secret value sk_live_123 in a message"),
        };
        var context = new DefaultHttpContext { TraceIdentifier = "req-42" };

        var problem = Assert.IsType<ProblemHttpResult>(_mapping.Map(exception, context, "GetSecret"));

        Assert.Equal(status, problem.StatusCode);
        Assert.Equal("urn:integrations-hub:problem:" + code, problem.ProblemDetails.Type);
        Assert.DoesNotContain("sk_live_123", problem.ProblemDetails.Detail ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void Map_AuditUnavailable_IsNull_SoThePipelineRefusesTheRequest()
    {
        var result = _mapping.Map(new AuditUnavailableException(new InvalidOperationException()), new DefaultHttpContext(), "RevealSecret");

        Assert.Null(result);
    }
}
