using System.Net;
using Integrations.Api.Pipeline;
using Integrations.Core.Audit;
using Integrations.Core.Identity;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Tests.Pipeline;

public sealed class AuditStepTests
{
    private static DefaultHttpContext Context()
    {
        var context = new DefaultHttpContext { TraceIdentifier = "req-1" };
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        context.Request.Headers.UserAgent = "test/1.0";
        return context;
    }

    private static Caller Key(string? organization) => new(CallerKind.ApiKey, "key_a", organization, new HashSet<string>(StringComparer.Ordinal));

    [Fact]
    public void Event_VerifiedProject_GoesToTheProjectsLog()
    {
        var record = AuditStep.Event(Context(), "127.0.0.1", AuditActions.SecretRead, Key("org_a"), new RequestAudit { ProjectId = "prj_a", Target = "secret/x" }, 200);

        Assert.Equal(AuditPartition.For("org_a", "prj_a"), new AuditRecord("id", DateTimeOffset.UnixEpoch, record.OrganizationId, record.ProjectId, record.Action,
            record.Outcome, record.Status, record.ActorType, record.ActorId, null, null, null, null, null).Partition);
        Assert.Equal(AuditOutcomes.Success, record.Outcome);
        Assert.Equal("127.0.0.1", record.SourceIp);
        Assert.Equal("test/1.0", record.UserAgent);
        Assert.Equal("req-1", record.RequestId);
    }

    [Fact]
    public void Event_NoVerifiedProject_GoesToTheCallersOrganization()
    {
        var record = AuditStep.Event(Context(), "127.0.0.1", AuditActions.SecretRead, Key("org_a"), new RequestAudit { Target = "project/prj_zzz/secret/x" }, 404);

        Assert.Equal("org_a", record.OrganizationId);
        Assert.Null(record.ProjectId);
        Assert.Equal(AuditOutcomes.NotFound, record.Outcome);
    }

    [Fact]
    public void Event_WithoutAnOrganization_GoesToThePlatformLog_EvenIfAProjectIsNamed()
    {
        var anonymous = AuditStep.Event(Context(), "127.0.0.1", AuditActions.SecretList, null, new RequestAudit { ProjectId = "prj_a" }, 401, "hmac-sha256:x", "Unknown");
        var admin = AuditStep.Event(Context(), "127.0.0.1", AuditActions.SecretList, Caller.PlatformAdmin, new RequestAudit { ProjectId = "prj_a" }, 403);

        Assert.Equal((AuditPartition.Platform, (string?)null), (anonymous.OrganizationId, anonymous.ProjectId));
        Assert.Equal((AuditPartition.Platform, (string?)null), (admin.OrganizationId, admin.ProjectId));
        Assert.Equal("Unknown", anonymous.ActorId);
        Assert.Equal("hmac-sha256:x", anonymous.CredentialHmac);
    }

    [Theory]
    [InlineData(null, AuditOutcomes.Attempt)]
    [InlineData(201, AuditOutcomes.Success)]
    [InlineData(401, AuditOutcomes.Unauthenticated)]
    [InlineData(403, AuditOutcomes.Denied)]
    [InlineData(404, AuditOutcomes.NotFound)]
    [InlineData(409, AuditOutcomes.Conflict)]
    [InlineData(412, AuditOutcomes.Conflict)]
    [InlineData(413, AuditOutcomes.Invalid)]
    [InlineData(429, AuditOutcomes.RateLimited)]
    [InlineData(503, AuditOutcomes.Error)]
    public void Event_StatusMapsToItsOutcome(int? status, string outcome)
    {
        var record = AuditStep.Event(Context(), "127.0.0.1", AuditActions.SecretUpdate, Key("org_a"), new RequestAudit(), status);

        Assert.Equal(outcome, record.Outcome);
        Assert.Equal(status ?? 0, record.Status);
    }
}
