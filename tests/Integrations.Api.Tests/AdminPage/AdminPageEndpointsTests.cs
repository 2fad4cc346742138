using Integrations.Api.AdminPage;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Tests.AdminPage;

/// <summary>Which request paths name which embedded file, without a server.</summary>
public sealed class AdminPageEndpointsTests
{
    [Theory]
    [InlineData("/admin", "index.html")]
    [InlineData("/admin/", "index.html")]
    [InlineData("/admin/app.js", "app.js")]
    [InlineData("/admin/admin.css", "admin.css")]
    public void FileName_PageOrFile_NamesIt(string path, string expected)
    {
        // Act
        var name = AdminPageEndpoints.FileName(new PathString(path));

        // Assert
        Assert.Equal(expected, name);
        Assert.NotNull(AdminPageAssets.Find(name!));
    }

    [Theory]
    [InlineData("/admin/../appsettings.json")]
    [InlineData("/admin/..%2Fappsettings.json")]
    [InlineData("/admin/sub/app.js")]
    [InlineData("/admin/.env")]
    [InlineData("/admin/App.js")]
    [InlineData("/admin/a\\b.js")]
    [InlineData("/administrator")]
    [InlineData("/v1/admin/app.js")]
    public void FileName_AnythingButAFlatLowerCaseName_IsNull(string path)
    {
        // Act
        var name = AdminPageEndpoints.FileName(new PathString(path));

        // Assert
        Assert.Null(name);
    }

    [Fact]
    public void Assets_IncludeThePageItsScriptsAndStyle_EachWithAServedType()
    {
        // Act
        var all = AdminPageAssets.All;

        // Assert: every module the page imports is embedded (a missing one would be a 404 in the browser).
        Assert.True(all.ContainsKey(AdminPageAssets.IndexName));
        foreach (var module in new[] { "app.js", "api.js", "dom.js", "connections.js", "webhooks.js", "admin.css" })
        {
            Assert.True(all.ContainsKey(module), module);
        }

        Assert.All(all.Values, a => Assert.False(a.Content.IsEmpty, a.Name));
        Assert.All(all.Values, a => Assert.Matches("^\"[0-9a-f]{32}\"$", a.ETag));
    }
}
