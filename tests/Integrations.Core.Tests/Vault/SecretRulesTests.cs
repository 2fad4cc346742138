using Integrations.Core.Common;
using Integrations.Core.Vault;

namespace Integrations.Core.Tests.Vault;

public sealed class SecretRulesTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("STRIPE_API.key-2", true)]
    [InlineData("", false)]
    [InlineData("with space", false)]
    [InlineData("semi;colon", false)]
    [InlineData("tilde~", false)]
    [InlineData("é", false)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("...", false)]
    [InlineData(".a", true)]
    [InlineData("a..b", true)]
    [InlineData("by-id", false)]
    [InlineData("BY-ID", false)]
    [InlineData("by-id2", true)]
    public void IsValidName_FollowsTheCharacterSet(string name, bool valid) => Assert.Equal(valid, SecretRules.IsValidName(name));

    [Fact]
    public void IsValidName_LengthLimitIs128() =>
        Assert.Equal((true, false), (SecretRules.IsValidName(new string('a', 128)), SecretRules.IsValidName(new string('a', 129))));

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(2, 100, true)]
    [InlineData(0, 20, false)]
    [InlineData(1, 101, false)]
    [InlineData(1, 0, false)]
    public void PageRequest_Bounds(int? page, int? perPage, bool valid) => Assert.Equal(valid, PageRequest.Create(page, perPage).IsSuccess);

    [Fact]
    public void PagedList_TotalPages_RoundsUp()
    {
        var page = new PageRequest(1, 3).Apply(Enumerable.Range(0, 7).ToList());

        Assert.Equal((3L, 7L, 3), (page.TotalPages, page.Total, page.Items.Count));
    }

    [Theory]
    [InlineData("plain text, é, ß, 中文, 😀", true)]
    [InlineData("tab\there", false)]
    [InlineData("new\nline", false)]
    [InlineData("bell\u0007", false)]
    [InlineData("del\u007F", false)]
    [InlineData("c1\u0085", false)]
    [InlineData("rlo\u202Eexe.txt", false)]
    [InlineData("zwsp\u200B", false)]
    [InlineData("zwnj\u200C", false)]
    [InlineData("zwj\u200D", false)]
    [InlineData("lrm\u200E", false)]
    [InlineData("rlm\u200F", false)]
    [InlineData("lri\u2066", false)]
    [InlineData("pdi\u2069", false)]
    [InlineData("bom\uFEFF", false)]
    [InlineData("line\u2028sep", false)]
    [InlineData("para\u2029sep", false)]
    [InlineData("private\uE000", false)]
    [InlineData("unassigned\u0378", false)]
    public void PrintableText_IsPrintable_RefusesControlFormatAndOtherNonPrintingCharacters(string text, bool printable) =>
        Assert.Equal(printable, PrintableText.IsPrintable(text));

    [Fact]
    public void PrintableText_IsPrintable_LoneSurrogates_AreRefused()
    {
        // Built from chars: a lone surrogate is not a valid string literal in every tool that reads test data.
        var high = "lone" + (char)0xD800 + "high";
        var low = "lone" + (char)0xDC00 + "low";
        var highAtEnd = "end" + (char)0xD83D;

        Assert.Equal((false, false, false), (PrintableText.IsPrintable(high), PrintableText.IsPrintable(low), PrintableText.IsPrintable(highAtEnd)));
    }

    [Fact]
    public void PrintableText_Escape_ShowsWhatDoesNotPrintAndKeepsTheRest() =>
        Assert.Equal(@"a\u{202E}b\\c 😀\u{001F}", PrintableText.Escape("a\u202Eb\\c 😀\u001F"));

    [Theory]
    [InlineData("description")]
    [InlineData("metadata key")]
    [InlineData("metadata value")]
    public void Validate_BidiOverride_IsRefused(string where)
    {
        const string text = "invoice\u202Efdp.exe";

        var error = where switch
        {
            "description" => SecretRules.ValidateDescription(text),
            "metadata key" => SecretRules.ValidateMetadata(new Dictionary<string, string> { [text] = "v" }),
            _ => SecretRules.ValidateMetadata(new Dictionary<string, string> { ["k"] = text }),
        };

        Assert.Equal(where == "description" ? VaultErrors.InvalidDescription : VaultErrors.InvalidMetadata, error?.Code);
    }

    [Fact]
    public void ValidateMetadata_Bounds()
    {
        var full = Enumerable.Range(0, SecretRules.MaxMetadataEntries).ToDictionary(i => new string('k', SecretRules.MaxMetadataKeyLength - 2) + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture),
            _ => new string('v', SecretRules.MaxMetadataValueLength));

        Assert.Null(SecretRules.ValidateMetadata(full));
        Assert.NotNull(SecretRules.ValidateMetadata(new Dictionary<string, string>(full) { ["one-more"] = "v" }));
        Assert.NotNull(SecretRules.ValidateMetadata(new Dictionary<string, string> { [new string('k', SecretRules.MaxMetadataKeyLength + 1)] = "v" }));
        Assert.NotNull(SecretRules.ValidateMetadata(new Dictionary<string, string> { ["k"] = new string('v', SecretRules.MaxMetadataValueLength + 1) }));
        Assert.NotNull(SecretRules.ValidateMetadata(new Dictionary<string, string> { [""] = "v" }));
        Assert.NotNull(SecretRules.ValidateMetadata(new Dictionary<string, string> { [" k"] = "v" }));
    }

    [Theory]
    [InlineData("Project \u202Ename")]
    [InlineData("zero\u200Bwidth")]
    [InlineData("tab\tname")]
    public void DisplayName_NonPrinting_IsRefused(string name) =>
        Assert.Equal(CommonErrors.InvalidName, Integrations.Core.Tenancy.DisplayName.Validate(name, "name")?.Code);
}
