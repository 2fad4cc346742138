using Integrations.Api.OAuth;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Tests.OAuth;

public sealed class OAuthPageTests
{
    [Fact]
    public void Failure_ProviderErrorWithMarkup_IsShownEncodedWithoutScript()
    {
        var page = OAuthPage.Failure(400, "Not connected", "The provider refused.", "oauth-provider-error",
            "access_denied<script>alert(1)</script>", "User said \"no\" <img src=x onerror=alert(2)>");

        Assert.DoesNotContain("<script", page.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", page.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("access_denied&lt;script&gt;", page.Html, StringComparison.Ordinal);
        Assert.Contains("oauth-provider-error", page.Html, StringComparison.Ordinal);
        Assert.Equal(400, page.StatusCode);
    }

    [Fact]
    public void Failure_VeryLongDescription_IsShortened()
    {
        var page = OAuthPage.Failure(400, "Not connected", "The provider refused.", "x", "invalid_request", new string('a', 10_000));

        Assert.True(page.Html.Length < 2_000, $"page is {page.Html.Length} characters");
    }

    [Fact]
    public void Success_NamesTheConnectionEncoded()
    {
        var page = OAuthPage.Success("<b>crm</b>");

        Assert.Equal(200, page.StatusCode);
        Assert.Contains("&lt;b&gt;crm&lt;/b&gt;", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_ServesHtmlWithAPolicyThatLoadsAndRunsNothing()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();

        await OAuthPage.Success().ExecuteAsync(context);

        Assert.Equal("text/html; charset=utf-8", context.Response.ContentType);
        Assert.Equal("default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'", context.Response.Headers.ContentSecurityPolicy.ToString());
        Assert.Equal("nosniff", context.Response.Headers.XContentTypeOptions.ToString());
        Assert.Equal("no-store", context.Response.Headers.CacheControl.ToString());
        Assert.Equal("no-referrer", context.Response.Headers["Referrer-Policy"].ToString());
    }
}
