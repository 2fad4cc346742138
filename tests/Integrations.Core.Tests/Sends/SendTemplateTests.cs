using System.Text.Json;
using Integrations.Core.Sends;

namespace Integrations.Core.Tests.Sends;

public sealed class SendTemplateTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public void Render_Placeholders_AreFilledFromContext_NestedPathsAndMissingAsEmpty()
    {
        var body = Json("""{"greeting": "Hi {{ customer.name }}!", "total": "{{amount}} EUR", "paid": "{{paid}}", "gone": "[{{missing}}][{{customer.missing.deeper}}]", "n": 5, "list": ["{{customer.name}}", true]}""");
        var context = Json("""{"customer": {"name": "Bob"}, "amount": 12.50, "paid": true}""");

        var rendered = SendTemplate.Render(body, context);

        Assert.True(rendered.IsSuccess, rendered.Error?.Message);
        var parsed = Json(rendered.Value!);
        Assert.Equal("Hi Bob!", parsed.GetProperty("greeting").GetString());
        Assert.Equal("12.50 EUR", parsed.GetProperty("total").GetString());
        Assert.Equal("true", parsed.GetProperty("paid").GetString());
        Assert.Equal("[][]", parsed.GetProperty("gone").GetString());
        Assert.Equal(5, parsed.GetProperty("n").GetInt32());
        Assert.Equal("Bob", parsed.GetProperty("list")[0].GetString());
    }

    [Theory]
    [InlineData("\", \"admin\": true, \"x\": \"")]
    [InlineData("\\\", \"admin\": true}")]
    [InlineData("</script><b>&amp;</b>")]
    [InlineData("{{other}}")]
    [InlineData("line\nbreak\u0000nul")]
    public void Render_HostileContextValue_StaysInsideItsString(string value)
    {
        var body = Json("""{"name": "{{name}}", "admin": false}""");
        var context = JsonSerializer.SerializeToElement(new { name = value, other = "leak" });

        var rendered = SendTemplate.Render(body, context);

        var parsed = Json(rendered.Value!);
        Assert.Equal(value, parsed.GetProperty("name").GetString());
        Assert.False(parsed.GetProperty("admin").GetBoolean());
        Assert.Equal(2, parsed.EnumerateObject().Count());
    }

    [Fact]
    public void Render_DotNetMembers_AreNotReachable()
    {
        var body = Json("""{"a": "{{name.Length}}", "b": "{{name.length}}", "c": "{{amount.Scale}}"}""");
        var context = Json("""{"name": "Bob", "amount": 1.5}""");

        var parsed = Json(SendTemplate.Render(body, context).Value!);

        Assert.Equal(("", "", ""), (parsed.GetProperty("a").GetString(), parsed.GetProperty("b").GetString(), parsed.GetProperty("c").GetString()));
    }

    [Theory]
    [InlineData("{{#each items}}x{{/each}}")]
    [InlineData("{{#if flag}}yes{{/if}}")]
    [InlineData("{{> partial}}")]
    [InlineData("{{{name}}}")]
    [InlineData("{{this}}")]
    [InlineData("{{../name}}")]
    [InlineData("{{lookup customer 'name'}}")]
    [InlineData("{{!comment}}")]
    [InlineData("\\{{name}}")]
    [InlineData("{{name}}}")]
    [InlineData("{{customer}}")]
    [InlineData("{{items}}")]
    public void Render_AnythingButAPlainPlaceholder_IsRefused(string template)
    {
        var body = JsonSerializer.SerializeToElement(new { value = template });
        var context = Json("""{"name": "Bob", "flag": true, "items": [1], "customer": {"name": "Bob"}}""");

        var rendered = SendTemplate.Render(body, context);

        Assert.False(rendered.IsSuccess);
        Assert.Equal(SendErrors.TemplateRefused, rendered.Error.Code);
        Assert.DoesNotContain("Bob", rendered.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoBody_IsNull_AndABodyWithoutPlaceholdersIsUnchanged()
    {
        Assert.Null(SendTemplate.Render(null, null).Value);
        var body = Json("""{"a": [1, 2.5, null, "x"], "b": {"c": "}} {"}}""");

        var rendered = SendTemplate.Render(body, null);

        Assert.Equal(body.GetRawText().Replace(" ", "", StringComparison.Ordinal), rendered.Value!.Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_TooManyPlaceholders_IsRefused()
    {
        var body = JsonSerializer.SerializeToElement(Enumerable.Range(0, SendTemplate.MaxPlaceholders + 1).Select(_ => "{{a}}").ToArray());

        var rendered = SendTemplate.Render(body, Json("""{"a": "x"}"""));

        Assert.Equal(SendErrors.TemplateRefused, rendered.Error?.Code);
    }
}
