using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using Integrations.Api.AdminPage;

namespace Integrations.Server.Tests.AdminPage;

/// <summary>The admin page's files as plain HTTP serves them from the real Server: headers, types, markup and what is refused.</summary>
[Collection(AdminPageGroup.Name)]
public sealed class AdminPageHttpTests(AdminPageFixture f)
{
    private static readonly Dictionary<string, string> TypesByExtension = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html",
        [".js"] = "text/javascript",
        [".css"] = "text/css",
    };

    public static TheoryData<string> PagePaths => ["admin", "admin/", "admin/index.html"];

    [Theory]
    [MemberData(nameof(PagePaths))]
    public async Task Get_AdminPage_ServedWithStrictPolicyNoSniffAndNoStore(string path)
    {
        // Act
        using var response = await f.Http.GetAsync(new Uri(f.HubBase, path));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        AssertSecurityHeaders(response);
        Assert.True(response.Headers.CacheControl?.NoStore, "The page must not be cached.");
    }

    [Fact]
    public async Task Get_EveryEmbeddedFile_ServedWithItsTypeAndTheSameHeaders()
    {
        // Arrange
        var files = AdminPageAssets.All.Keys.ToList();
        Assert.Contains("app.js", files);
        Assert.Contains("admin.css", files);

        foreach (var name in files)
        {
            // Act
            using var response = await f.Http.GetAsync(new Uri(f.HubBase, "admin/" + name));

            // Assert
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {(int)response.StatusCode}");
            Assert.Equal(TypesByExtension[Path.GetExtension(name)], response.Content.Headers.ContentType?.MediaType);
            AssertSecurityHeaders(response);
            Assert.Equal(AdminPageAssets.All[name].Content.ToArray(), await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Get_ScriptWithItsETag_AnswersNotModified()
    {
        // Arrange
        using var first = await f.Http.GetAsync(new Uri(f.HubBase, "admin/app.js"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(f.HubBase, "admin/app.js"));
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        // Act
        using var response = await f.Http.SendAsync(request);

        // Assert
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.True(first.Headers.CacheControl?.NoCache, "Scripts are revalidated on every load.");
    }

    [Fact]
    public async Task ServedHtml_HasNoInlineScriptStyleOrHandler_AndLoadsOnlyItsOwnFiles()
    {
        // Arrange
        var parser = new HtmlParser();
        foreach (var (name, asset) in AdminPageAssets.All.Where(a => a.Value.IsHtml))
        {
            using var response = await f.Http.GetAsync(new Uri(f.HubBase, "admin/" + name));
            var document = await parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync());

            // Act
            var scripts = document.QuerySelectorAll("script").ToList();
            var handlers = document.All.SelectMany(e => e.Attributes.Where(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)).Select(a => $"{e.LocalName}[{a.Name}]")).ToList();
            var styled = document.All.Where(e => e.HasAttribute("style")).Select(e => e.LocalName).ToList();
            var loaded = document.All.SelectMany(e => new[] { e.GetAttribute("src"), e.LocalName == "link" ? e.GetAttribute("href") : null }).OfType<string>().ToList();

            // Assert: the policy forbids all of these anyway; the page must not need them.
            Assert.NotEmpty(scripts);
            Assert.All(scripts, s => Assert.True(s.HasAttribute("src") && string.IsNullOrWhiteSpace(s.TextContent), $"{name}: inline script"));
            Assert.Empty(document.QuerySelectorAll("style"));
            Assert.Empty(handlers);
            Assert.Empty(styled);
            Assert.All(loaded, url => Assert.True(AdminPageAssets.Find(url.Replace("/admin/", "", StringComparison.Ordinal)) is not null && url.StartsWith("/admin/", StringComparison.Ordinal), $"{name} loads {url}"));
            Assert.Empty(document.QuerySelectorAll("base"));
        }
    }

    [Fact]
    public void Scripts_NeverTurnDataIntoMarkupOrCode()
    {
        // Arrange: what would let a connection name or a provider's error text run as script in an admin's browser.
        string[] sinks = ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setTimeout('", "localStorage", "sessionStorage", "document.cookie"];

        // Act
        var found = AdminPageAssets.All.Values.Where(a => a.Name.EndsWith(".js", StringComparison.Ordinal))
            .SelectMany(a => sinks.Where(s => Encoding.UTF8.GetString(a.Content.Span).Contains(s, StringComparison.Ordinal)).Select(s => $"{a.Name}: {s}"))
            .ToList();

        // Assert
        Assert.Empty(found);
    }

    /// <summary>Targets that stay below /admin/ once the server has read them: the admin route answers, by exact name only.</summary>
    [Theory]
    [InlineData("/admin/nothing.js")]
    [InlineData("/admin/..%2F..%2Fappsettings.json")]
    [InlineData("/admin/..%5Cappsettings.json")]
    [InlineData("/admin/%2Fetc%2Fpasswd")]
    [InlineData("/admin//etc/passwd")]
    [InlineData("/admin/.hidden")]
    [InlineData("/admin/App.JS")]
    public async Task Get_UnknownOrEscapingNameBelowAdmin_IsTheAdminNotFoundProblem(string target)
    {
        // Act: the raw request target, exactly as written (HttpClient would normalize it first).
        var (status, contentType, body) = await RawGetAsync(target);

        // Assert
        Assert.Equal(404, status);
        Assert.StartsWith("application/problem+json", contentType, StringComparison.Ordinal);
        Assert.Equal(AdminPageProblems.AssetNotFound, (string?)JsonNode.Parse(body)!["code"]);
        AssertNoFileContent(body);
    }

    /// <summary>
    /// Dot segments (plain or escaped) are removed by Kestrel before routing, so these never reach the admin route: whatever
    /// the host answers for the resulting path, it is a 404 with none of the file in it.
    /// </summary>
    [Theory]
    [InlineData("/admin/../appsettings.json")]
    [InlineData("/admin/%2e%2e/%2e%2e/appsettings.json")]
    [InlineData("/admin/./../Integrations.Server.dll")]
    [InlineData("/admin/admin.css/../../appsettings.json")]
    public async Task Get_DotSegmentsOutOfAdmin_AreA404WithNoFileContent(string target)
    {
        // Act
        var (status, contentType, body) = await RawGetAsync(target);

        // Assert
        Assert.Equal(404, status);
        Assert.StartsWith("application/problem+json", contentType, StringComparison.Ordinal);
        AssertNoFileContent(body);
    }

    private static void AssertNoFileContent(string body)
    {
        // appsettings.json's sections, a DLL's DOS stub, /etc/passwd's first line.
        Assert.DoesNotContain("Logging", body, StringComparison.Ordinal);
        Assert.DoesNotContain("This program cannot", body, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownAdminFile_NamesTheAdminProblem()
    {
        // Act
        var (status, _, body) = await RawGetAsync("/admin/missing.css");

        // Assert
        Assert.Equal(404, status);
        Assert.Equal(AdminPageProblems.AssetNotFound, (string?)JsonNode.Parse(body)!["code"]);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d[(d.IndexOf(' ', StringComparison.Ordinal) + 1)..], StringComparer.Ordinal);
        Assert.Equal("'none'", directives["default-src"]);
        Assert.Equal("'self'", directives["script-src"]);
        Assert.Equal("'self'", directives["style-src"]);
        Assert.Equal("'self'", directives["connect-src"]);
        Assert.Equal("'none'", directives["frame-ancestors"]);
        Assert.Equal("'none'", directives["base-uri"]);
        Assert.Equal("'none'", directives["form-action"]);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("same-origin-allow-popups", Assert.Single(response.Headers.GetValues("Cross-Origin-Opener-Policy")));
    }

    /// <summary>A GET with <paramref name="target"/> sent byte for byte over HTTP/1.1.</summary>
    private async Task<(int Status, string ContentType, string Body)> RawGetAsync(string target)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, f.HubBase.Port);
        await using var stream = tcp.GetStream();
        var request = $"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{f.HubBase.Port}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = text[..split].Split("\r\n");
        var status = int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var contentType = head.FirstOrDefault(h => h.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))?["Content-Type:".Length..].Trim() ?? "";
        var body = text[(split + 4)..];
        if (head.Any(h => h.Equals("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)))
        {
            body = Unchunk(body);
        }

        return (status, contentType, body);
    }

    private static string Unchunk(string chunked)
    {
        var result = new StringBuilder();
        var position = 0;
        while (true)
        {
            var lineEnd = chunked.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[position..lineEnd].Split(';')[0], 16);
            if (size == 0)
            {
                return result.ToString();
            }

            result.Append(chunked, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
    }
}
