namespace Integrations.Cli.Tests;

/// <summary>What the CLI prints of stored text: never a character that hides or reorders the rest of the line.</summary>
public sealed class CliFormatTests
{
    [Theory]
    [InlineData("deploy\u202Eyek-lave", @"deploy\u{202E}yek-lave")]
    [InlineData("zero\u200Bwidth\u2066isolate", @"zero\u{200B}width\u{2066}isolate")]
    [InlineData("\u001B[2J\u001B[31mfake prompt", @"\u{001B}[2J\u{001B}[31mfake prompt")]
    [InlineData("two\nlines", @"two\u{000A}lines")]
    [InlineData(@"back\slash", @"back\\slash")]
    [InlineData("plain é 中文 😀", "plain é 中文 😀")]
    public void Text_NonPrintingCharacters_AreShownEscaped(string stored, string printed) => Assert.Equal(printed, CliFormat.Text(stored));

    [Fact]
    public void Markup_EscapesMarkupAfterNonPrintingCharacters() =>
        Assert.Equal(@"[[red]]x\u{202E}[[/]]", CliFormat.Markup("[red]x\u202E[/]"));
}
