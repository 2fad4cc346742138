using Integrations.Core.OutboundWebhooks;

namespace Integrations.Core.Tests.OutboundWebhooks;

public sealed class WebhookEndpointRulesTests
{
    private static readonly string[] Strategies = ["linear_1s", "exponential_backoff"];

    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static WebhookEndpoint Template => new("wep_aaaaaaaaaaaaaaaaaaaa", "org_aaaaaaaaaaaaaaaaaaaa", "prj_aaaaaaaaaaaaaaaaaaaa", new Uri("https://placeholder.invalid/"),
        null, [], true, null, null, WebhookEndpoint.DefaultTimeout, EndpointRetryPolicy.Default, new Dictionary<string, string>(), [], Now, Now);

    [Fact]
    public void Apply_OnlyUrl_FillsTheDefaults()
    {
        var applied = WebhookEndpointRules.Apply(new WebhookEndpointInput("https://example.com/hooks"), Template, Strategies);

        Assert.True(applied.IsSuccess);
        var e = applied.Value!;
        Assert.Equal(("https://example.com/hooks", true, TimeSpan.FromSeconds(15), (int?)null), (e.Url.OriginalString, e.Enabled, e.Timeout, e.RateLimitPerSecond));
        Assert.Equal(EndpointRetryPolicy.Default, e.Retry);
        Assert.Empty(e.EventTypes);
        Assert.Empty(e.Headers);
    }

    [Theory]
    [InlineData("http://example.com/")]
    [InlineData("https://example.com:8443/a/b?c=d")]
    [InlineData("http://127.0.0.1:5000/hooks")]
    public void Apply_AbsoluteHttpUrl_IsAccepted(string url) =>
        Assert.True(WebhookEndpointRules.Apply(new WebhookEndpointInput(url), Template, Strategies).IsSuccess);

    [Theory]
    [InlineData("example.com/hooks")]
    [InlineData("ftp://example.com/")]
    [InlineData("file:///etc/passwd")]
    [InlineData("https://user:pass@example.com/")]
    [InlineData("https://user@example.com/")]
    [InlineData("https://example.com/#fragment")]
    [InlineData("https://example.com/#")]
    public void Apply_BadUrl_IsRefusedNamingUrl(string url)
    {
        var applied = WebhookEndpointRules.Apply(new WebhookEndpointInput(url), Template, Strategies);

        Assert.Equal((WebhookEndpointErrors.InvalidUrl, "url"), (applied.Error?.Code, applied.Error?.Field));
    }

    [Fact]
    public void Apply_UrlLongerThan2048_IsRefused()
    {
        var url = "https://example.com/" + new string('a', 2048 - 20);
        var longer = url + "a";

        Assert.True(WebhookEndpointRules.Apply(new WebhookEndpointInput(url), Template, Strategies).IsSuccess);
        Assert.Equal(WebhookEndpointErrors.InvalidUrl, WebhookEndpointRules.Apply(new WebhookEndpointInput(longer), Template, Strategies).Error?.Code);
    }

    [Theory]
    [InlineData("invoice.paid", true)]
    [InlineData("invoice.*", true)]
    [InlineData("a_b-c.D9.*", true)]
    [InlineData("invoice", true)]
    [InlineData("*", false)]
    [InlineData("invoice.*.paid", false)]
    [InlineData("invoice..paid", false)]
    [InlineData(".invoice", false)]
    [InlineData("invoice.", false)]
    [InlineData("invoice paid", false)]
    [InlineData("invoice.**", false)]
    [InlineData("", false)]
    public void IsEventTypeFilter_FollowsThePattern(string value, bool valid) => Assert.Equal(valid, WebhookEndpointRules.IsEventTypeFilter(value));

    [Fact]
    public void Apply_EventTypes_LimitsCountAndLength_AndDropsDuplicates()
    {
        var fifty = Enumerable.Range(0, 50).Select(i => $"t{i}").ToList();
        var longest = new string('a', 128);

        var ok = WebhookEndpointRules.Apply(new WebhookEndpointInput("https://e.com/", EventTypes: [.. fifty[..49], "t0"]), Template, Strategies);
        var tooMany = WebhookEndpointRules.Apply(new WebhookEndpointInput("https://e.com/", EventTypes: [.. fifty, "t50"]), Template, Strategies);
        var atLength = WebhookEndpointRules.Apply(new WebhookEndpointInput("https://e.com/", EventTypes: [longest]), Template, Strategies);
        var tooLong = WebhookEndpointRules.Apply(new WebhookEndpointInput("https://e.com/", EventTypes: ["ok", longest + "a"]), Template, Strategies);

        Assert.Equal(49, ok.Value!.EventTypes.Count);
        Assert.Equal((WebhookEndpointErrors.InvalidEventTypes, "event_types"), (tooMany.Error?.Code, tooMany.Error?.Field));
        Assert.True(atLength.IsSuccess);
        Assert.Equal((WebhookEndpointErrors.InvalidEventTypes, "event_types[1]"), (tooLong.Error?.Code, tooLong.Error?.Field));
    }

    [Theory]
    [InlineData("webhook-id")]
    [InlineData("Webhook-Signature")]
    [InlineData("svix-signature")]
    [InlineData("Authorization")]
    [InlineData("cookie")]
    [InlineData("Host")]
    [InlineData("Content-Type")]
    [InlineData("content-length")]
    [InlineData("Transfer-Encoding")]
    [InlineData("Connection")]
    [InlineData("User-Agent")]
    [InlineData("Proxy-Authorization")]
    public void Apply_HeaderTheHubSets_IsRefusedNamingIt(string name)
    {
        var applied = WebhookEndpointRules.Apply(new WebhookEndpointInput("https://e.com/", Headers: new Dictionary<string, string> { [name] = "x" }), Template, Strategies);

        Assert.Equal((WebhookEndpointErrors.InvalidHeaders, "headers." + name), (applied.Error?.Code, applied.Error?.Field));
    }

    [Theory]
    [InlineData("X-Ok", "a\r\nInjected: yes")]
    [InlineData("X-Ok", "a\nb")]
    [InlineData("X-Ok", " padded")]
    [InlineData("X-Ok", "caf\u00e9")]
    [InlineData("Bad Name", "v")]
    [InlineData("Bad:Name", "v")]
    public void Apply_BadHeader_IsRefused(string name, string value) =>
        Assert.Equal(WebhookEndpointErrors.InvalidHeaders,
            WebhookEndpointRules.Apply(new WebhookEndpointInput("https://e.com/", Headers: new Dictionary<string, string> { [name] = value }), Template, Strategies).Error?.Code);

    [Fact]
    public void Apply_Headers_AtMost20_AndNoCaseDuplicates()
    {
        var twenty = Enumerable.Range(0, 20).ToDictionary(i => $"X-H{i}", i => "v");
        var more = new Dictionary<string, string>(twenty) { ["X-H20"] = "v" };
        var twice = new Dictionary<string, string>(StringComparer.Ordinal) { ["X-Tenant"] = "a", ["x-tenant"] = "b" };

        Assert.Equal(20, WebhookEndpointRules.Apply(new WebhookEndpointInput("https://e.com/", Headers: twenty), Template, Strategies).Value!.Headers.Count);
        Assert.Equal(WebhookEndpointErrors.InvalidHeaders, WebhookEndpointRules.Apply(new WebhookEndpointInput("https://e.com/", Headers: more), Template, Strategies).Error?.Code);
        Assert.Equal(WebhookEndpointErrors.InvalidHeaders, WebhookEndpointRules.Apply(new WebhookEndpointInput("https://e.com/", Headers: twice), Template, Strategies).Error?.Code);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(10000, true)]
    [InlineData(10001, false)]
    public void Apply_RateLimit_Between1And10000(int limit, bool valid) =>
        Assert.Equal(valid, WebhookEndpointRules.Apply(new WebhookEndpointInput("https://e.com/", RateLimitPerSecond: limit), Template, Strategies).IsSuccess);

    [Theory]
    [InlineData(999, false)]
    [InlineData(1000, true)]
    [InlineData(30000, true)]
    [InlineData(30001, false)]
    public void Apply_Timeout_Between1And30Seconds(int ms, bool valid) =>
        Assert.Equal(valid, WebhookEndpointRules.Apply(new WebhookEndpointInput("https://e.com/", TimeoutMs: ms), Template, Strategies).IsSuccess);

    [Fact]
    public void Apply_Retry_NamedStrategyOfTheCatalog_WithAttempts1To20()
    {
        EndpointRetryPolicy? Retry(string? strategy, int? attempts) =>
            WebhookEndpointRules.Apply(new WebhookEndpointInput("https://e.com/", Retry: new EndpointRetryInput(strategy, attempts)), Template, Strategies).Value?.Retry;

        Assert.Equal(new EndpointRetryPolicy("linear_1s", 20), Retry("linear_1s", 20));
        Assert.Equal(new EndpointRetryPolicy("exponential_backoff", WebhookEndpointRules.DefaultRetryAttempts), Retry("exponential_backoff", null));
        Assert.Null(Retry("linear_1s", 0));
        Assert.Null(Retry("linear_1s", 21));
        Assert.Null(Retry("unknown", 3));
        Assert.Null(Retry(null, 3));
    }

    [Fact]
    public void Apply_Description_AtMost500Printable()
    {
        Assert.True(WebhookEndpointRules.Apply(new WebhookEndpointInput("https://e.com/", new string('d', 500)), Template, Strategies).IsSuccess);
        Assert.Equal("description", WebhookEndpointRules.Apply(new WebhookEndpointInput("https://e.com/", new string('d', 501)), Template, Strategies).Error?.Field);
        Assert.Equal("description", WebhookEndpointRules.Apply(new WebhookEndpointInput("https://e.com/", "evil\u202Etxt"), Template, Strategies).Error?.Field);
    }

    [Fact]
    public void NewSecret_IsWhsecAndBase64Of32RandomBytes()
    {
        var a = WebhookEndpointRules.NewSecret();
        var b = WebhookEndpointRules.NewSecret();

        Assert.StartsWith("whsec_", a, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(a[6..]).Length);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void NextKeyId_IsOneAboveTheHighest()
    {
        Assert.Equal("k1", WebhookEndpointRules.NextKeyId([]));
        Assert.Equal("k8", WebhookEndpointRules.NextKeyId([Key("k7", null), Key("k3", Now)]));
    }

    [Fact]
    public void Roll_NewKeyFirst_PreviousSignsForTheOverlap_ExpiredDropped()
    {
        var overlap = TimeSpan.FromHours(24);
        var expired = Key("k1", Now.AddMinutes(-1));
        var signing = Key("k2", null);

        var rolled = WebhookEndpointRules.Roll([signing, expired], Key("k3", null), Now, overlap);

        Assert.Equal(["k3", "k2"], rolled.Value.Kept.Select(k => k.Id));
        Assert.Null(rolled.Value.Kept[0].NotAfter);
        Assert.Equal(Now + overlap, rolled.Value.Kept[1].NotAfter);
        Assert.Equal([expired], rolled.Value.Dropped);
    }

    [Fact]
    public void Roll_KeyStillInItsOverlap_KeepsItsEarlierEnd()
    {
        var older = Key("k1", Now.AddHours(2));

        var rolled = WebhookEndpointRules.Roll([Key("k2", null), older], Key("k3", null), Now, TimeSpan.FromHours(24));

        Assert.Equal(Now.AddHours(2), rolled.Value.Kept[2].NotAfter);
    }

    [Fact]
    public void Roll_MoreThanMaxKeysSigning_IsRefused()
    {
        var keys = Enumerable.Range(1, WebhookEndpointRules.MaxKeys).Select(i => Key($"k{i}", i == WebhookEndpointRules.MaxKeys ? null : Now.AddHours(1))).Reverse().ToList();

        var rolled = WebhookEndpointRules.Roll(keys, Key("k9", null), Now, TimeSpan.FromHours(24));

        Assert.Equal(WebhookEndpointErrors.KeyLimit, rolled.Error?.Code);
    }

    private static EndpointSigningKey Key(string id, DateTimeOffset? notAfter) => new(id, "webhook.wep_aaaaaaaaaaaaaaaaaaaa." + id, Now.AddDays(-1), notAfter);
}
