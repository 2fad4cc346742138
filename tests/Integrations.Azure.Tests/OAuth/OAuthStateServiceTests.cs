using System.Text;
using Azure;
using Azure.Data.Tables;
using Integrations.Core.OAuth.Flows;

namespace Integrations.Azure.Tests.OAuth;

/// <summary>The durable OAuth state over Azurite: single use, expiry, iss (RFC 9207), browser binding, cleanup.</summary>
public sealed class OAuthStateServiceTests
{
    private static readonly Func<string, string?> NoCookie = static _ => null;

    [Fact]
    public async Task CreateAsync_NewFlow_GivesStateStartLinkAndPkceOfTheRightShape()
    {
        await using var hub = await OAuthStateTestHub.StartAsync();

        var (flow, values) = await hub.CreateAsync();

        Assert.Equal(OAuthStateService.ValueLength, values.State.Length); // 32 random bytes, base64url: 256 bits.
        Assert.Equal("https://hub.example.com/v1/oauth/callback", values.RedirectUri.AbsoluteUri);
        Assert.StartsWith("https://hub.example.com/v1/oauth/start?t=", flow.StartUrl.AbsoluteUri, StringComparison.Ordinal);
        Assert.NotEqual(values.State, OAuthStateTestHub.StartToken(flow));
        Assert.Equal(hub.Time.GetUtcNow() + TimeSpan.FromMinutes(10), flow.ExpiresAt);
        Assert.True(flow.StartLinkExpiresAt < flow.ExpiresAt);
        Assert.DoesNotContain(values.State, flow.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(values.State, values.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsumeAsync_ValidState_ReturnsItsVerifierOnce()
    {
        await using var hub = await OAuthStateTestHub.StartAsync();
        var (_, values) = await hub.CreateAsync();

        var first = await hub.States.ConsumeAsync(values.State, OAuthStateTestHub.Issuer, NoCookie);
        var second = await hub.States.ConsumeAsync(values.State, OAuthStateTestHub.Issuer, NoCookie);

        Assert.True(first.IsSuccess);
        Assert.Equal(values.CodeChallenge, OAuthStateService.CodeChallenge(first.Consumed!.CodeVerifier!));
        Assert.Equal(hub.Project, first.Consumed.State.ProjectId);
        Assert.Equal("con_cccccccccccccccccccc", first.Consumed.State.ConnectionId);
        Assert.Equal(values.Nonce, first.Consumed.State.Nonce);
        Assert.Equal(values.RedirectUri, first.Consumed.RedirectUri);
        Assert.DoesNotContain(first.Consumed.CodeVerifier!, first.Consumed.ToString(), StringComparison.Ordinal);
        Assert.Equal(OAuthStateRefusal.AlreadyUsed, second.Refusal);
    }

    [Fact]
    public async Task ConsumeAsync_WithoutPkce_HasNoVerifier()
    {
        await using var hub = await OAuthStateTestHub.StartAsync();
        var (_, values) = await hub.CreateAsync(usePkce: false);

        var result = await hub.States.ConsumeAsync(values.State, null, NoCookie);

        Assert.Null(values.CodeChallenge);
        Assert.True(result.IsSuccess);
        Assert.Null(result.Consumed!.CodeVerifier);
    }

    [Fact]
    public async Task ConsumeAsync_ConcurrentCallbacksOnTwoInstances_ExactlyOneWinsEveryTime()
    {
        await using var hub = await OAuthStateTestHub.StartAsync();
        await using var second = await OAuthStateTestHub.StartAsync(hub.Hub.Prefix, await RootKeyAsync(hub), hub.Time);
        const int rounds = 25, callers = 16;

        for (var round = 0; round < rounds; round++)
        {
            var (_, values) = await hub.CreateAsync();
            using var go = new ManualResetEventSlim();
            var attempts = Enumerable.Range(0, callers)
                .Select(i => Task.Run(async () =>
                {
                    go.Wait();
                    return await (i % 2 == 0 ? hub : second).States.ConsumeAsync(values.State, OAuthStateTestHub.Issuer, NoCookie);
                }))
                .ToList();
            go.Set();
            var results = await Task.WhenAll(attempts);

            Assert.Single(results, r => r.IsSuccess);
            Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(OAuthStateRefusal.AlreadyUsed, r.Refusal));
        }
    }

    [Fact]
    public async Task ConsumeAsync_AfterTenMinutes_IsRefusedAsExpired()
    {
        await using var hub = await OAuthStateTestHub.StartAsync();
        var (_, values) = await hub.CreateAsync();

        hub.Time.Advance(TimeSpan.FromMinutes(10));
        var result = await hub.States.ConsumeAsync(values.State, OAuthStateTestHub.Issuer, NoCookie);

        Assert.Equal(OAuthStateRefusal.Expired, result.Refusal);
        Assert.Null((await StateRowAsync(hub)).GetDateTimeOffset("ConsumedAt"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-state")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task ConsumeAsync_UnknownOrMalformedState_IsRefusedAsUnknown(string? state)
    {
        await using var hub = await OAuthStateTestHub.StartAsync();
        await hub.CreateAsync();

        var result = await hub.States.ConsumeAsync(state, OAuthStateTestHub.Issuer, NoCookie);

        Assert.Equal(OAuthStateRefusal.Unknown, result.Refusal);
    }

    [Fact]
    public async Task ConsumeAsync_StartLinkTokenUsedAsState_IsRefusedAsUnknown()
    {
        await using var hub = await OAuthStateTestHub.StartAsync();
        var (flow, _) = await hub.CreateAsync();

        var result = await hub.States.ConsumeAsync(OAuthStateTestHub.StartToken(flow), OAuthStateTestHub.Issuer, NoCookie);

        Assert.Equal(OAuthStateRefusal.Unknown, result.Refusal);
    }

    [Fact]
    public async Task ConsumeAsync_IssEqualToTheRecordedIssuer_Succeeds()
    {
        await using var hub = await OAuthStateTestHub.StartAsync();
        var (_, values) = await hub.CreateAsync(issParameterSupported: true);

        Assert.True((await hub.States.ConsumeAsync(values.State, OAuthStateTestHub.Issuer, NoCookie)).IsSuccess);
    }

    [Theory]
    [InlineData("https://evil.example.com")]
    [InlineData("https://idp.example.com/")]
    [InlineData("https://IDP.example.com")]
    public async Task ConsumeAsync_IssOfAnotherIssuer_IsRefusedAndConsumesNothing(string iss)
    {
        await using var hub = await OAuthStateTestHub.StartAsync();
        var (_, values) = await hub.CreateAsync();

        var mixedUp = await hub.States.ConsumeAsync(values.State, iss, NoCookie);
        var genuine = await hub.States.ConsumeAsync(values.State, OAuthStateTestHub.Issuer, NoCookie);

        Assert.Equal(OAuthStateRefusal.IssuerMismatch, mixedUp.Refusal);
        Assert.True(genuine.IsSuccess);
    }

    [Fact]
    public async Task ConsumeAsync_NoIssWhenTheProviderAdvertisesIt_IsRefusedAsIssuerMissing()
    {
        await using var hub = await OAuthStateTestHub.StartAsync();
        var (_, values) = await hub.CreateAsync(issParameterSupported: true);

        var result = await hub.States.ConsumeAsync(values.State, null, NoCookie);

        Assert.Equal(OAuthStateRefusal.IssuerMissing, result.Refusal);
    }

    [Fact]
    public async Task ConsumeAsync_NoIssWhenTheProviderDoesNotAdvertiseIt_Succeeds()
    {
        await using var hub = await OAuthStateTestHub.StartAsync();
        var (_, values) = await hub.CreateAsync(issParameterSupported: false);

        Assert.True((await hub.States.ConsumeAsync(values.State, null, NoCookie)).IsSuccess);
    }

    [Fact]
    public async Task StartAsync_ThenCallbackWithoutTheCookie_IsRefusedAsBindingMissing()
    {
        await using var hub = await OAuthStateTestHub.StartAsync();
        var (flow, values) = await hub.CreateAsync();
        var started = await hub.States.StartAsync(OAuthStateTestHub.StartToken(flow));

        var otherBrowser = await hub.States.ConsumeAsync(values.State, OAuthStateTestHub.Issuer, NoCookie);
        var wrongCookie = await hub.States.ConsumeAsync(values.State, OAuthStateTestHub.Issuer, _ => started.BindingValue![..^1] + "x");
        var sameBrowser = await hub.States.ConsumeAsync(values.State, OAuthStateTestHub.Issuer, key => key == started.BindingKey ? started.BindingValue : null);

        Assert.True(started.IsSuccess);
        Assert.Equal(OAuthStateRefusal.BindingMissing, otherBrowser.Refusal);
        Assert.Equal(OAuthStateRefusal.BindingMismatch, wrongCookie.Refusal);
        Assert.True(sameBrowser.IsSuccess);
    }

    [Fact]
    public async Task StartAsync_ReturnsTheStoredAuthorizationUrl_AndWorksOnce()
    {
        await using var hub = await OAuthStateTestHub.StartAsync();
        var (flow, values) = await hub.CreateAsync();

        var first = await hub.States.StartAsync(OAuthStateTestHub.StartToken(flow));
        var second = await hub.States.StartAsync(OAuthStateTestHub.StartToken(flow));

        Assert.Equal(OAuthStateTestHub.AuthorizationUrl(values), first.AuthorizationUrl);
        Assert.Equal(OAuthStateService.ValueLength, first.BindingValue!.Length);
        Assert.Equal(OAuthStartRefusal.AlreadyUsed, second.Refusal);
    }

    [Fact]
    public async Task StartAsync_AfterTheStartLinkLifetime_IsRefusedAsExpired()
    {
        await using var hub = await OAuthStateTestHub.StartAsync();
        var (flow, values) = await hub.CreateAsync();

        hub.Time.Advance(TimeSpan.FromMinutes(2));
        var result = await hub.States.StartAsync(OAuthStateTestHub.StartToken(flow));

        Assert.Equal(OAuthStartRefusal.Expired, result.Refusal);
        // The state itself still works from the API's authorization_url (its start link was never opened).
        Assert.True((await hub.States.ConsumeAsync(values.State, OAuthStateTestHub.Issuer, NoCookie)).IsSuccess);
    }

    [Fact]
    public async Task StartAsync_UnknownToken_IsRefusedAsUnknown()
    {
        await using var hub = await OAuthStateTestHub.StartAsync();
        var (_, values) = await hub.CreateAsync();

        Assert.Equal(OAuthStartRefusal.Unknown, (await hub.States.StartAsync(values.State)).Refusal);
        Assert.Equal(OAuthStartRefusal.Unknown, (await hub.States.StartAsync("short")).Refusal);
    }

    [Fact]
    public async Task ConsumeAsync_BrowserBindingRequiredAndStartLinkNeverOpened_IsRefusedAsBindingMissing()
    {
        await using var hub = await OAuthStateTestHub.StartAsync();
        var (_, values) = await hub.CreateAsync(requireBinding: true);

        var result = await hub.States.ConsumeAsync(values.State, OAuthStateTestHub.Issuer, NoCookie);

        Assert.Equal(OAuthStateRefusal.BindingMissing, result.Refusal);
    }

    [Fact]
    public async Task StoredRows_NeverHoldTheVerifierStateStartTokenOrAuthorizationUrl()
    {
        await using var hub = await OAuthStateTestHub.StartAsync();
        var (flow, values) = await hub.CreateAsync();
        var started = await hub.States.StartAsync(OAuthStateTestHub.StartToken(flow));
        var consumed = await hub.States.ConsumeAsync(values.State, OAuthStateTestHub.Issuer, _ => started.BindingValue);
        var secrets = new[] { consumed.Consumed!.CodeVerifier!, values.State, OAuthStateTestHub.StartToken(flow), started.BindingValue!, flow.AuthorizationUrl.Query };

        var stored = new StringBuilder();
        await foreach (var entity in hub.Table.QueryAsync<TableEntity>())
        {
            foreach (var (name, value) in entity)
            {
                stored.Append(name).Append('=').Append(value switch
                {
                    byte[] bytes => Encoding.UTF8.GetString(bytes) + " " + Convert.ToBase64String(bytes),
                    BinaryData data => Encoding.UTF8.GetString(data.ToArray()) + " " + Convert.ToBase64String(data.ToArray()),
                    _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
                }).Append('\n');
            }
        }

        Assert.Contains("SealedVerifier", stored.ToString(), StringComparison.Ordinal);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, stored.ToString(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ProjectId", "prj_othothothothothothoth")]
    [InlineData("OrganizationId", "org_othothothothothothoth")]
    [InlineData("ConnectionId", "con_othothothothothothoth")]
    [InlineData("RedirectAfter", "https://evil.example.com/")]
    [InlineData("Issuer", "https://evil.example.com")]
    public async Task ConsumeAsync_StateRowEditedInStorage_IsRefusedAsUnknown(string column, string value)
    {
        await using var hub = await OAuthStateTestHub.StartAsync();
        var (_, values) = await hub.CreateAsync();
        var row = await StateRowAsync(hub);

        await hub.Table.UpdateEntityAsync(new TableEntity(row.PartitionKey, row.RowKey) { [column] = value }, ETag.All, TableUpdateMode.Merge);
        var result = await hub.States.ConsumeAsync(values.State, column == "Issuer" ? value : OAuthStateTestHub.Issuer, NoCookie);

        Assert.Equal(OAuthStateRefusal.Unknown, result.Refusal);
    }

    [Fact]
    public async Task ConsumeAsync_BindingRemovedFromTheRowInStorage_IsRefusedAsUnknown()
    {
        await using var hub = await OAuthStateTestHub.StartAsync();
        var (flow, values) = await hub.CreateAsync();
        await hub.States.StartAsync(OAuthStateTestHub.StartToken(flow));
        var row = await StateRowAsync(hub);

        // The attacker drops the browser binding so a callback from its own browser would pass.
        row.Remove("BindingHash");
        row.Remove("StartLinkUsedAt");
        await hub.Table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
        var result = await hub.States.ConsumeAsync(values.State, OAuthStateTestHub.Issuer, NoCookie);

        Assert.Equal(OAuthStateRefusal.Unknown, result.Refusal);
    }

    [Fact]
    public async Task ConsumeAsync_StateOfAnotherProjectCopiedUnderThisOnesHash_IsRefused()
    {
        await using var hub = await OAuthStateTestHub.StartAsync();
        var (_, mine) = await hub.CreateAsync();
        var mineRow = await StateRowAsync(hub);
        var (_, theirs) = await hub.CreateAsync(org: "org_othothothothothothoth", project: "prj_othothothothothothoth");
        var theirsRow = await hub.Table.QueryAsync<TableEntity>(e => e.RowKey == "state" && e.PartitionKey != mineRow.PartitionKey).FirstAsync();

        // The other project's row, MAC and all, written under this state's hash.
        var copy = new TableEntity(theirsRow) { PartitionKey = mineRow.PartitionKey, RowKey = "state" };
        await hub.Table.UpsertEntityAsync(copy, TableUpdateMode.Replace);
        var result = await hub.States.ConsumeAsync(mine.State, OAuthStateTestHub.Issuer, NoCookie);

        Assert.Equal(OAuthStateRefusal.Unknown, result.Refusal);
        Assert.True((await hub.States.ConsumeAsync(theirs.State, OAuthStateTestHub.Issuer, NoCookie)).IsSuccess);
    }

    [Fact]
    public async Task RemoveExpiredAsync_DeletesOnlyExpiredStatesAndTheirStartLinks()
    {
        await using var hub = await OAuthStateTestHub.StartAsync();
        await hub.CreateAsync();
        await hub.CreateAsync();
        hub.Time.Advance(TimeSpan.FromMinutes(9));
        var (_, fresh) = await hub.CreateAsync();
        hub.Time.Advance(TimeSpan.FromMinutes(2));

        var removed = await hub.States.RemoveExpiredAsync();
        var left = await hub.Table.QueryAsync<TableEntity>().ToListAsync();

        Assert.Equal(2, removed);
        Assert.Equal(2, left.Count); // The fresh state and its start link.
        Assert.True((await hub.States.ConsumeAsync(fresh.State, OAuthStateTestHub.Issuer, NoCookie)).IsSuccess);
    }

    private static async Task<TableEntity> StateRowAsync(OAuthStateTestHub hub) =>
        await hub.Table.QueryAsync<TableEntity>(e => e.RowKey == "state").FirstAsync();

    private static async Task<string> RootKeyAsync(OAuthStateTestHub hub)
    {
        await Task.CompletedTask;
        return hub.Hub.Get<Microsoft.Extensions.Configuration.IConfiguration>()["KeyWrapping:RootKey"]!;
    }
}
