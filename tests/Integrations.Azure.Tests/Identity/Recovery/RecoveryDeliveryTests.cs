using System.Security.Cryptography;
using Integrations.Azure.Tests.Identity.Users;
using Integrations.Core.Common;
using Integrations.Core.Events;
using Integrations.Core.Identity.Recovery;
using Integrations.Core.Vault;

namespace Integrations.Azure.Tests.Identity.Recovery;

/// <summary>Auth events in the platform project's outbox with the token sealed, and the hub's own mail, on Azurite.</summary>
public sealed class RecoveryDeliveryTests
{
    private readonly byte[] _sealingKey = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public async Task IssueVerification_WithAPlatformProject_AppendsTheEvent_WithTheTokenOnlySealed()
    {
        await using var platform = await PlatformAsync(mail: false);
        var user = await platform.Hub.SignUpAsync("ev@example.com");

        var issued = await platform.Hub.IssueVerificationAsync(user.Id);

        var hubEvent = Assert.Single(await EventsAsync(platform, HubEventTypes.AuthEmailVerificationRequired));
        Assert.Equal(user.Id, hubEvent.Data["user_id"]);
        Assert.Equal("ev@example.com", hubEvent.Data["email"]);
        Assert.All(hubEvent.Data.Values, value => Assert.DoesNotContain(issued.Token, value, StringComparison.Ordinal));
        var opened = RecoveryDelivery.OpenSealedLink(hubEvent.Data["sealed_link"], _sealingKey, HubEventTypes.AuthEmailVerificationRequired, user.Id);
        Assert.NotNull(opened);
        Assert.Equal(issued.Token, opened.Value.Token);
        Assert.Equal($"https://app.example.com/auth/verify-email?token={issued.Token}", opened.Value.Url);
        // Bound to its event type and user: the same field under another user or type does not open.
        Assert.Null(RecoveryDelivery.OpenSealedLink(hubEvent.Data["sealed_link"], _sealingKey, HubEventTypes.AuthEmailVerificationRequired, "usr_other"));
        Assert.Null(RecoveryDelivery.OpenSealedLink(hubEvent.Data["sealed_link"], _sealingKey, HubEventTypes.AuthPasswordResetRequested, user.Id));
        Assert.Null(RecoveryDelivery.OpenSealedLink(hubEvent.Data["sealed_link"], RandomNumberGenerator.GetBytes(32), HubEventTypes.AuthEmailVerificationRequired, user.Id));
    }

    [Fact]
    public async Task RequestReset_WithResendConfigured_MailsTheLinkWithTheVaultKey_AndPublishesTheEvent()
    {
        await using var platform = await PlatformAsync(mail: true);
        var user = await platform.Hub.SignUpAsync("mail@example.com");

        await platform.Hub.Recovery().RequestPasswordResetAsync("mail@example.com");

        var (message, apiKey) = Assert.Single(platform.Mail.Sent);
        Assert.Equal("re_test_key_123", apiKey);
        Assert.Equal("Acme <no-reply@acme.example>", message.From);
        Assert.Equal("mail@example.com", message.To);
        Assert.Equal("Reset for Test Person", message.Subject);
        Assert.Contains("https://app.example.com/auth/reset-password?token=ihp_", message.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"https://app.example.com/auth/reset-password?token=ihp_", message.Html, StringComparison.Ordinal);
        var hubEvent = Assert.Single(await EventsAsync(platform, HubEventTypes.AuthPasswordResetRequested));
        var opened = RecoveryDelivery.OpenSealedLink(hubEvent.Data["sealed_link"], _sealingKey, HubEventTypes.AuthPasswordResetRequested, user.Id);
        Assert.Contains(opened!.Value.Token, message.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(opened.Value.Token, message.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_WithoutResendApiKey_SendsNoMail()
    {
        await using var platform = await PlatformAsync(mail: false);
        var user = await platform.Hub.SignUpAsync("nomail@example.com");

        await platform.Hub.IssueResetAsync(user.Id);

        Assert.Empty(platform.Mail.Sent);
    }

    [Fact]
    public void Render_EscapesValuesInHtml_AndKeepsUnknownPlaceholders()
    {
        var values = new Dictionary<string, string> { ["display_name"] = "<b>Eve</b>", ["url"] = "https://x/?a=1&b=2" };

        Assert.Equal("Hi &lt;b&gt;Eve&lt;/b&gt; https://x/?a=1&amp;b=2 {{other}}", RecoveryDelivery.Render("Hi {{display_name}} {{ url }} {{other}}", values, html: true));
        Assert.Equal("Hi <b>Eve</b>", RecoveryDelivery.Render("Hi {{display_name}}", values, html: false));
    }

    private static async Task<IReadOnlyList<HubEvent>> EventsAsync(Platform platform, string type) =>
        (await platform.Hub.Services.Get<IEventOutbox>().ListAsync(platform.OrganizationId, platform.ProjectId, new ActivityQuery(PageRequest.Default, type))).Items;

    /// <summary>
    /// A platform project with the sealing key (and the Resend key) in its vault, then the services started again on the same
    /// storage with <c>Auth:Platform</c> naming it — settings are read at start, and the project's ids exist only once created.
    /// </summary>
    private async Task<Platform> PlatformAsync(bool mail)
    {
        var rootKey = Integrations.Azure.Tests.HubServices.NewRootKey();
        string prefix, org, project;
        await using (var setup = await RecoveryHub.StartAsync(rootKey: rootKey))
        {
            prefix = setup.Services.Prefix;
            (org, project) = await setup.Services.CreateProjectAsync("Platform");
            var vault = setup.Services.Get<VaultService>();
            var place = await setup.Services.ProjectAsync(org, project);
            Assert.True((await vault.CreateAsync(place, "auth-sealing-key", new SecretInput(Convert.ToBase64String(_sealingKey), null, null), "test")).IsSuccess);
            Assert.True((await vault.CreateAsync(place, "resend-api-key", new SecretInput("re_test_key_123", null, null), "test")).IsSuccess);
        }

        var settings = new Dictionary<string, string?>
        {
            ["Auth:Platform:OrganizationId"] = org,
            ["Auth:Platform:ProjectId"] = project,
            ["Auth:Events:SealingKey"] = "auth-sealing-key",
            ["Auth:SiteUrl"] = "https://app.example.com",
        };
        if (mail)
        {
            settings["Auth:Resend:ApiKey"] = "resend-api-key";
            settings["Auth:Email:From"] = "Acme <no-reply@acme.example>";
            settings["Auth:Email:ResetSubject"] = "Reset for {{display_name}}";
        }

        var sender = new RecordingEmailSender();
        var hub = await RecoveryHub.StartAsync(settings, prefix, rootKey, sender);
        return new Platform(hub, sender, org, project);
    }

    private sealed record Platform(UserHub Hub, RecordingEmailSender Mail, string OrganizationId, string ProjectId) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Hub.DisposeAsync();
    }
}
