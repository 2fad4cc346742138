using Integrations.Core.Common;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Tests.Webhooks;

public sealed class WebhookSourceSnifferTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Pick_OneEnabledSourceOfTheScheme_IsFound()
    {
        var stripe = Source("stripe");

        var result = WebhookSourceSniffer.Pick([Source("github"), stripe, Source("stripe", enabled: false)], ["stripe"]);

        Assert.Same(stripe, result.Source);
        Assert.Null(result.Failure);
    }

    [Fact]
    public void Pick_NoSchemeRecognised_IsUnknown() =>
        Assert.Equal(WebhookSniffFailure.Unknown, WebhookSourceSniffer.Pick([Source("stripe")], []).Failure);

    [Fact]
    public void Pick_NoSourceOfTheScheme_IsUnknown()
    {
        var result = WebhookSourceSniffer.Pick([Source("github"), Source("stripe", enabled: false)], ["stripe"]);

        Assert.Equal(WebhookSniffFailure.Unknown, result.Failure);
        Assert.Contains("stripe", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Pick_SeveralSchemes_IsAmbiguous() =>
        Assert.Equal(WebhookSniffFailure.Ambiguous, WebhookSourceSniffer.Pick([Source("stripe")], ["github", "stripe"]).Failure);

    [Fact]
    public void Pick_SeveralSourcesOfTheScheme_IsAmbiguous_WithoutNamingThem()
    {
        var first = Source("stripe");
        var second = Source("stripe");

        var result = WebhookSourceSniffer.Pick([first, second], ["stripe"]);

        Assert.Equal(WebhookSniffFailure.Ambiguous, result.Failure);
        Assert.DoesNotContain(first.Id, result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(second.Id, result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("Stripe-Signature", "X-Hub-Signature-256")]
    public async Task SniffAsync_NotExactlyOneScheme_AnswersWithoutReadingStorage(params string[] headers)
    {
        var registry = new WebhookSchemeRegistry([new HeaderScheme("stripe", "Stripe-Signature"), new HeaderScheme("github", "X-Hub-Signature-256")]);
        var sniffer = new WebhookSourceSniffer(new UnreachableStore(), registry,
            new WebhookSourceCache(TimeProvider.System, Options.Create(new WebhookSourceOptions())));

        var result = await sniffer.SniffAsync("prj_aaaaaaaaaaaaaaaaaaaa", new WebhookHeaders(headers.Select(h => KeyValuePair.Create(h, new[] { "v" }))));

        Assert.Equal(headers.Length == 0 ? WebhookSniffFailure.Unknown : WebhookSniffFailure.Ambiguous, result.Failure);
    }

    private static WebhookSource Source(string scheme, bool enabled = true) =>
        new(Ids.New(WebhookSource.IdPrefix), "org_aaaaaaaaaaaaaaaaaaaa", "prj_aaaaaaaaaaaaaaaaaaaa", "s-" + Ids.New("n"), scheme, null, WebhookSourceSettings.Default, [],
            enabled, Now, Now);

    private sealed class HeaderScheme(string name, string header) : IWebhookScheme
    {
        public string Name => name;

        public bool Recognizes(WebhookHeaders headers) => headers.Contains(header);

        public WebhookVerification Verify(WebhookRequest request, IReadOnlyList<WebhookSigningKey> keys, WebhookSourceSettings settings) =>
            WebhookVerification.Refuse(WebhookRefusal.BadSignature, "not used");
    }

    /// <summary>Fails the test if the sniffer reads storage.</summary>
    private sealed class UnreachableStore : IWebhookSourceStore
    {
        public Task<WriteOutcome> TryCreateAsync(WebhookSource source, CancellationToken cancellationToken = default) => throw new InvalidOperationException("storage read");

        public Task<WebhookSource?> GetAsync(string organizationId, string projectId, string sourceId, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("storage read");

        public Task<WebhookSource?> FindAsync(string sourceId, CancellationToken cancellationToken = default) => throw new InvalidOperationException("storage read");

        public Task<IReadOnlyList<WebhookSource>> ListByProjectAsync(string projectId, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("storage read");

        public Task<WriteOutcome> TryUpdateAsync(WebhookSource updated, CancellationToken cancellationToken = default) => throw new InvalidOperationException("storage read");

        public Task<WriteOutcome> TryDeleteAsync(WebhookSource source, CancellationToken cancellationToken = default) => throw new InvalidOperationException("storage read");

        public Task<PagedList<WebhookSource>> ListAsync(string organizationId, string projectId, PageRequest page, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("storage read");
    }
}
