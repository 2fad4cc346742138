using System.Net;
using Integrations.Api.Pipeline;
using Integrations.Azure.Tables;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Pipeline;

/// <summary>Rate limits through the real Server: each test starts its own, so their counters are their own.</summary>
public sealed class RateLimitApiTests
{
    private static async Task<HubFixture> StartAsync(params (string Key, string Value)[] settings)
    {
        var hub = new HubFixture();
        foreach (var (key, value) in settings)
        {
            hub.Settings[key] = value;
        }

        await hub.InitializeAsync();
        return hub;
    }

    [Fact]
    public async Task FloodOfBadKeys_FromOneAddress_Gets429WithRetryAfter_WhileAValidKeyKeepsWorking()
    {
        var hub = await StartAsync();
        try
        {
            var tenant = await hub.CreateTenantAsync();
            using var valid = hub.Client(tenant.OwnerKey);
            var statuses = new List<HttpStatusCode>();
            var validStatuses = new List<HttpStatusCode>();
            TimeSpan? retryAfter = null;

            for (var i = 0; i < 200; i++)
            {
                // Well-formed (prefix and checksum pass), never issued: each needs a lookup unless the address is throttled.
                using var bad = hub.Client(ApiKeyToken.Generate().Token);
                using var response = await bad.GetAsync(tenant.Secrets);
                statuses.Add(response.StatusCode);
                retryAfter ??= response.Headers.RetryAfter?.Delta;
                if (i % 20 == 19)
                {
                    using var ok = await valid.GetAsync(tenant.Secrets);
                    validStatuses.Add(ok.StatusCode);
                }
            }

            Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.Unauthorized));
            Assert.Equal(180, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
            Assert.All(statuses.Take(20), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
            Assert.InRange(retryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
            Assert.Equal(10, validStatuses.Count);
            Assert.All(validStatuses, s => Assert.Equal(HttpStatusCode.OK, s));
            using var anonymous = hub.Client("ihk_" + new string('x', 38));
            await Problem(await anonymous.GetAsync(tenant.Secrets), HttpStatusCode.TooManyRequests, "rate-limited");
        }
        finally
        {
            await hub.DisposeAsync();
        }
    }

    [Fact]
    public async Task FloodOfBadKeys_IsAuditedBoundedly_OneFullRecordAndOneSummaryWithTheCount()
    {
        var hub = await StartAsync();
        try
        {
            var tenant = await hub.CreateTenantAsync();
            for (var i = 0; i < 200; i++)
            {
                using var bad = hub.Client(ApiKeyToken.Generate().Token);
                using var _ = await bad.GetAsync(tenant.Secrets);
            }

            await hub.Services.GetRequiredService<RepeatedRecordFlusher>().FlushAsync(all: true);
            var platform = await hub.Services.GetRequiredService<IAuditStore>()
                .QueryAsync(AuditPartition.Platform, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddDays(-1), new PageRequest(1, 100));

            var refused = platform.Items.Where(r => r.SourceIp == "127.0.0.1" && r.Outcome is AuditOutcomes.Unauthenticated or AuditOutcomes.RateLimited).ToList();
            Assert.Equal(2, refused.Count);
            Assert.Equal(200, refused.Sum(r => r.Count));
            var summary = Assert.Single(refused, r => r.Action == AuditActions.AuthenticationFailures);
            Assert.Equal(199, summary.Count);
            var first = Assert.Single(refused, r => r.Action == AuditActions.SecretList);
            Assert.StartsWith("hmac-sha256:", first.CredentialHmac);
        }
        finally
        {
            await hub.DisposeAsync();
        }
    }

    [Fact]
    public async Task OneCredential_OverItsLimit_Gets429WithRetryAfter_OtherCredentialsUnaffected()
    {
        var hub = await StartAsync(("RateLimits:PerCredentialPerMinute", "5"));
        try
        {
            var tenant = await hub.CreateTenantAsync();
            using var owner = hub.Client(tenant.OwnerKey);
            var other = await Json(await owner.PostAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys",
                new StringContent("""{"name":"other","scopes":["secrets:read"]}""", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.Created);
            using var second = hub.Client((string)other["key"]!);

            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 5; i++)
            {
                using var response = await owner.GetAsync(tenant.Secrets);
                statuses.Add(response.StatusCode);
            }

            using var limited = await owner.GetAsync(tenant.Secrets);
            using var unaffected = await second.GetAsync(tenant.Secrets);

            Assert.Contains(HttpStatusCode.TooManyRequests, statuses.Append(limited.StatusCode));
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.NotNull(limited.Headers.RetryAfter?.Delta);
            Assert.Equal(HttpStatusCode.OK, unaffected.StatusCode);
        }
        finally
        {
            await hub.DisposeAsync();
        }
    }

    [Fact]
    public async Task ValidKey_ProbingRandomProjectIds_CreatesNoAuditPartitionAndNoWriter()
    {
        var hub = await StartAsync(("RateLimits:PerCredentialPerMinute", "100000"));
        try
        {
            var tenant = await hub.CreateTenantAsync();
            using var owner = hub.Client(tenant.OwnerKey);
            var store = hub.Services.GetRequiredService<IAuditStore>();
            var writersBefore = ((TableAuditStore)store).OpenPartitionWriters;
            var probed = Enumerable.Range(0, 500).Select(_ => Ids.New("prj")).ToList();

            foreach (var batch in probed.Chunk(25))
            {
                var responses = await Task.WhenAll(batch.Select(id => owner.GetAsync($"/v1/projects/{id}/secrets/anything")));
                Assert.All(responses, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
                foreach (var response in responses)
                {
                    response.Dispose();
                }
            }

            var partitions = await store.ListPartitionsAsync();
            Assert.DoesNotContain(partitions, p => probed.Any(id => p.Contains(id, StringComparison.Ordinal)));
            Assert.Equal(writersBefore, ((TableAuditStore)store).OpenPartitionWriters);
            // Nothing is lost: each probe is on record in the organization's own log, naming the project it asked for.
            var orgLog = await store.ReadAsync(AuditPartition.For(tenant.OrganizationId, null), DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddDays(-1));
            var probes = orgLog.Where(r => r.Outcome == AuditOutcomes.NotFound && r.Target is not null && r.Target.StartsWith("project/prj_", StringComparison.Ordinal)).ToList();
            Assert.Equal(500, probes.Count);
        }
        finally
        {
            await hub.DisposeAsync();
        }
    }
}
