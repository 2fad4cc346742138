using Integrations.Core.Identity.Recovery;

namespace Integrations.Core.Tests.Identity.Recovery;

public sealed class RecoveryOptionsValidatorTests
{
    private static readonly RecoveryOptionsValidator Validator = new();

    [Fact]
    public void Validate_Defaults_Succeed_WithEventsAndMailOff()
    {
        var options = new RecoveryOptions();

        Assert.True(Validator.Validate(null, options).Succeeded);
        Assert.False(options.PublishesEvents);
        Assert.False(options.SendsMail);
        Assert.Equal(TimeSpan.FromHours(24), options.EmailVerificationLifetime);
        Assert.Equal(TimeSpan.FromHours(1), options.PasswordResetLifetime);
    }

    [Fact]
    public void Validate_ResendWithoutPlatformFromOrSite_NamesEachMissingSetting()
    {
        var options = new RecoveryOptions { Resend = { ApiKey = "resend-api-key" } };

        var result = Validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Auth:Platform", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Auth:Email:From", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Auth:SiteUrl", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PlatformWithoutSealingKey_OrHalfAPlatform_Fails()
    {
        var noKey = new RecoveryOptions { SiteUrl = "https://app.example.com", Platform = { OrganizationId = "org_x", ProjectId = "prj_x" } };
        var half = new RecoveryOptions { Platform = { OrganizationId = "org_x" } };

        Assert.Contains("Auth:Events:SealingKey", Validator.Validate(null, noKey).FailureMessage, StringComparison.Ordinal);
        Assert.Contains("both OrganizationId and ProjectId", Validator.Validate(null, half).FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app.example.com")]
    [InlineData("ftp://app.example.com")]
    [InlineData("https://user:pw@app.example.com")]
    [InlineData("https://app.example.com/#x")]
    public void Validate_SiteUrlNotAbsoluteHttp_Fails(string url)
    {
        Assert.True(Validator.Validate(null, new RecoveryOptions { SiteUrl = url }).Failed);
    }

    [Fact]
    public void Validate_EverythingConfigured_Succeeds()
    {
        var options = new RecoveryOptions
        {
            SiteUrl = "https://app.example.com",
            CallbackRedirectUrl = "https://app.example.com/verified",
            Platform = { OrganizationId = "org_x", ProjectId = "prj_x" },
            Events = { SealingKey = "auth-sealing-key" },
            Resend = { ApiKey = "resend-api-key" },
            Email = { From = "Acme <no-reply@acme.example>" },
        };

        Assert.True(Validator.Validate(null, options).Succeeded);
    }
}
