using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using Integrations.Api.Pipeline;
using Integrations.Azure.Tables;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Audit;

/// <summary>
/// Every create's attempt record names what it creates; a change whose outcome record is lost says so; a message send is
/// recorded by its outcome alone (the first of a minute in full, a count of the rest), its message naming its sender.
/// </summary>
public sealed class AuditCompletenessTests : IClassFixture<AuditCompletenessTests.Fixture>
{
    private const string LostOutcomeTarget = "secret/outcome-lost";
    private readonly HubFixture _hub;

    public AuditCompletenessTests(Fixture fixture) => _hub = fixture.Hub;

    [Fact]
    public async Task Creates_RecordTheirTargetInTheAttempt()
    {
        var tenant = await _hub.CreateTenantAsync();
        using var owner = _hub.Client(tenant.OwnerKey);
        await Json(await owner.PostAsJsonAsync(tenant.Secrets, new { name = "named-in-attempt", value = "v" }), HttpStatusCode.Created);
        var key = await Json(await owner.PostAsJsonAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys", new { name = "k", scopes = new[] { "secrets:read" } }),
            HttpStatusCode.Created);

        var projectLog = await ReadAsync(AuditPartition.For(tenant.OrganizationId, tenant.ProjectId));
        var orgLog = await ReadAsync(AuditPartition.For(tenant.OrganizationId, null));
        var platformLog = await ReadAsync(AuditPartition.Platform);

        AssertAttemptNames(projectLog, AuditActions.SecretCreate, "secret/named-in-attempt");
        AssertAttemptNames(orgLog, AuditActions.ApiKeyCreate, $"apikey/{(string)key["id"]!}");
        // The project is created by the request, so its attempt is in the organization's log and its outcome in its own.
        Assert.Contains(orgLog, r => r.Action == AuditActions.ProjectCreate && r.Outcome == AuditOutcomes.Attempt && r.Target == $"project/{tenant.ProjectId}");
        AssertAttemptNames(platformLog, AuditActions.OrganizationCreate, $"org/{tenant.OrganizationId}");
    }

    [Fact]
    public async Task Change_WhoseOutcomeRecordIsLost_StandsAndSaysSo()
    {
        var tenant = await _hub.CreateTenantAsync();
        using var owner = _hub.Client(tenant.OwnerKey);

        var response = await owner.PostAsJsonAsync(tenant.Secrets, new { name = "outcome-lost", value = "v" });
        var ordinary = await owner.PostAsJsonAsync(tenant.Secrets, new { name = "outcome-kept", value = "v" });

        await Json(response, HttpStatusCode.Created);
        Assert.Equal("unrecorded", Assert.Single(response.Headers.GetValues(RequestPipeline.AuditOutcomeHeader)));
        Assert.False(ordinary.Headers.Contains(RequestPipeline.AuditOutcomeHeader));
        // (Read through the list: any request on this one secret would lose its outcome record too, and fail closed.)
        var list = await Json(await owner.GetAsync(tenant.Secrets), HttpStatusCode.OK);
        Assert.Contains(list["data"]!.AsArray(), s => (string?)s!["name"] == "outcome-lost");
        var log = await ReadAsync(AuditPartition.For(tenant.OrganizationId, tenant.ProjectId));
        Assert.Equal([AuditOutcomes.Attempt], log.Where(r => r.Target == LostOutcomeTarget).Select(r => r.Outcome));
    }

    [Fact]
    public async Task MessageSend_IsRecordedOnceByItsOutcome_AndTheMessageNamesItsSender()
    {
        var tenant = await _hub.CreateTenantAsync();
        using var owner = _hub.Client(tenant.OwnerKey);

        var sent = await Json(await owner.PostAsJsonAsync($"/v1/projects/{tenant.ProjectId}/messages", new { event_type = "order.paid", payload = new { n = 1 } }),
            HttpStatusCode.Accepted);
        var id = (string)sent["id"]!;

        var records = (await ReadAsync(AuditPartition.For(tenant.OrganizationId, tenant.ProjectId))).Where(r => r.Action == AuditActions.MessageSend).ToList();
        var record = Assert.Single(records);
        Assert.Equal((AuditOutcomes.Success, $"message/{id}"), (record.Outcome, record.Target));
        var message = await Json(await owner.GetAsync($"/v1/projects/{tenant.ProjectId}/messages/{id}"), HttpStatusCode.OK);
        Assert.Equal($"{record.ActorType}:{record.ActorId}", (string?)message["sent_by"]);
    }

    [Fact]
    public async Task MessageSends_OfOneKeyInOneMinute_AreTheFirstInFullAndACountOfTheRest()
    {
        var tenant = await _hub.CreateTenantAsync();
        using var owner = _hub.Client(tenant.OwnerKey);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((string)(await Json(await owner.PostAsJsonAsync($"/v1/projects/{tenant.ProjectId}/messages", new { event_type = "order.paid", payload = new { i } }),
                HttpStatusCode.Accepted))["id"]!);
        }

        var partition = AuditPartition.For(tenant.OrganizationId, tenant.ProjectId);
        var beforeFlush = (await ReadAsync(partition)).Where(r => r.Action == AuditActions.MessageSend).ToList();
        await _hub.Services.GetRequiredService<RepeatedRecordFlusher>().FlushAsync(all: true);
        var afterFlush = (await ReadAsync(partition)).Where(r => r.Action == AuditActions.MessageSend).ToList();

        var first = Assert.Single(beforeFlush);
        Assert.Equal($"message/{ids[0]}", first.Target);
        var summary = Assert.Single(afterFlush, r => r.Id != first.Id);
        Assert.Equal((2, AuditOutcomes.Success, first.ActorId, (string?)null), (summary.Count, summary.Outcome, summary.ActorId, summary.Target));
        // Each message names its sender, so the count loses no one.
        foreach (var id in ids)
        {
            var message = await Json(await owner.GetAsync($"/v1/projects/{tenant.ProjectId}/messages/{id}"), HttpStatusCode.OK);
            Assert.Equal($"{first.ActorType}:{first.ActorId}", (string?)message["sent_by"]);
        }
    }

    [Fact]
    public async Task MessageSend_WhoseOutcomeRecordIsLost_StandsNamesItsSenderAndSaysSo()
    {
        var tenant = await _hub.CreateTenantAsync();
        LosesOneOutcome.LoseMessageSendsOf(tenant.OrganizationId);
        using var owner = _hub.Client(tenant.OwnerKey);

        var response = await owner.PostAsJsonAsync($"/v1/projects/{tenant.ProjectId}/messages", new { event_type = "order.paid", payload = new { n = 2 } });

        var id = (string)(await Json(response, HttpStatusCode.Accepted))["id"]!;
        Assert.Equal("unrecorded", Assert.Single(response.Headers.GetValues(RequestPipeline.AuditOutcomeHeader)));
        Assert.DoesNotContain(await ReadAsync(AuditPartition.For(tenant.OrganizationId, tenant.ProjectId)), r => r.Action == AuditActions.MessageSend);
        // The message itself is the record of who sent it.
        var message = await Json(await owner.GetAsync($"/v1/projects/{tenant.ProjectId}/messages/{id}"), HttpStatusCode.OK);
        Assert.StartsWith("ApiKey:", (string?)message["sent_by"], StringComparison.Ordinal);
    }

    private static void AssertAttemptNames(IReadOnlyList<AuditRecord> log, string action, string target)
    {
        var records = log.Where(r => r.Action == action && r.Target == target).ToList();
        Assert.Contains(records, r => r.Outcome == AuditOutcomes.Attempt);
        Assert.Contains(records, r => r.Outcome == AuditOutcomes.Success);
        Assert.DoesNotContain(log, r => r.Action == action && r.Outcome == AuditOutcomes.Attempt && r.Target is null);
    }

    private async Task<IReadOnlyList<AuditRecord>> ReadAsync(string partition) =>
        (await _hub.Services.GetRequiredService<IAuditStore>()
            .QueryAsync(partition, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddDays(-1), new PageRequest(1, 100))).Items;

    /// <summary>The real Server, with the outcome record of one secret's creation made to fail in front of the real audit table.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public HubFixture Hub { get; } = new()
        {
            ConfigureServices = services =>
            {
                services.AddSingleton<TableAuditStore>();
                services.AddSingleton<IAuditStore>(sp => LosesOneOutcome.Around(sp.GetRequiredService<TableAuditStore>()));
            },
        };

        public Task InitializeAsync() => Hub.InitializeAsync();

        public Task DisposeAsync() => Hub.DisposeAsync();
    }

    /// <summary>
    /// Forwards every call to the real store (a proxy, so it keeps up with the interface) but fails one outcome append, and
    /// every <c>message.send</c> record of the organizations a test names.
    /// </summary>
    public class LosesOneOutcome : DispatchProxy
    {
        private static readonly ConcurrentDictionary<string, bool> LostSends = new(StringComparer.Ordinal);
        private IAuditStore _inner = null!;

        public static void LoseMessageSendsOf(string organizationId) => LostSends[organizationId] = true;

        public static IAuditStore Around(IAuditStore inner)
        {
            var proxy = Create<IAuditStore, LosesOneOutcome>();
            ((LosesOneOutcome)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(IAuditStore.AppendAsync) && args?[0] is AuditRecord record
                && ((record.Target == LostOutcomeTarget && record.Outcome != AuditOutcomes.Attempt)
                    || (record.Action == AuditActions.MessageSend && LostSends.ContainsKey(record.OrganizationId))))
            {
                return Task.FromException(new IOException("Injected: the audit table refused this outcome record."));
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        }
    }
}
