using Integrations.Core.Common;
using Integrations.Core.Events;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Core.Tests.Events;

public sealed class EventWriterTests
{
    private const string Org = "org_aaaaaaaaaaaaaaaaaaaa";
    private const string Project = "prj_aaaaaaaaaaaaaaaaaaaa";

    [Fact]
    public async Task AppendAsync_StampsIdAndTimeFromTheClock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        var outbox = new MemoryOutbox();
        var writer = new EventWriter(outbox, time);

        var written = await writer.AppendAsync(Org, Project, HubEventTypes.ConnectionNeedsReauth, "connection/con_x", new Dictionary<string, string> { ["reason"] = "invalid_grant" });

        Assert.True(Ids.IsValid("evt", written.Id));
        Assert.Equal(time.GetUtcNow(), written.OccurredAt);
        Assert.Same(written, Assert.Single(outbox.Events));
    }

    [Theory]
    [InlineData("access_token")]
    [InlineData("refresh_token")]
    [InlineData("client_secret")]
    [InlineData("password")]
    [InlineData("code")]
    [InlineData("api_key")]
    [InlineData("Reason")]
    public async Task AppendAsync_DataKeyThatCouldHoldACredential_Throws(string key)
    {
        var outbox = new MemoryOutbox();
        var writer = new EventWriter(outbox, TimeProvider.System);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            writer.AppendAsync(Org, Project, HubEventTypes.ConnectionConnected, "connection/con_x", new Dictionary<string, string> { [key] = "v" }));
        Assert.Empty(outbox.Events);
    }

    [Fact]
    public async Task AppendAsync_UnknownType_Throws()
    {
        var writer = new EventWriter(new MemoryOutbox(), TimeProvider.System);

        await Assert.ThrowsAsync<ArgumentException>(() => writer.AppendAsync(Org, Project, "connection.whatever", "connection/con_x"));
    }

    private sealed class MemoryOutbox : IEventOutbox
    {
        public List<HubEvent> Events { get; } = [];

        public Task AppendAsync(HubEvent hubEvent, CancellationToken cancellationToken = default)
        {
            Events.Add(hubEvent);
            return Task.CompletedTask;
        }

        public Task<PagedList<HubEvent>> ListAsync(string organizationId, string projectId, ActivityQuery query, CancellationToken cancellationToken = default) =>
            Task.FromResult(query.Page.Apply(Events));
    }
}
