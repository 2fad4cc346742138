using Integrations.Core.Identity.Passwords;

namespace Integrations.Core.Tests.Identity.Passwords;

public sealed class EmailAddressTests
{
    [Fact]
    public void Parse_SurroundingWhiteSpace_IsTrimmed()
    {
        var email = Parsed("  alice@example.com \t");

        Assert.Equal("alice@example.com", email.Value);
    }

    [Fact]
    public void Parse_FullWidthLetters_AreFoldedByNfkc()
    {
        // U+FF21… full-width Latin letters and the U+FF20 full-width commercial at.
        var email = Parsed("ａｌｉｃｅ＠ＥＸＡＭＰＬＥ．ｃｏｍ");

        Assert.Equal("alice@example.com", email.Value);
        Assert.Equal(Parsed("alice@example.com"), email);
    }

    [Fact]
    public void Parse_UpperCaseDomain_IsLowerCasedAndLocalPartKept()
    {
        var email = Parsed("Alice.Smith@EXAMPLE.COM");

        Assert.Equal("Alice.Smith", email.LocalPart);
        Assert.Equal("example.com", email.Domain);
        Assert.Equal("Alice.Smith@example.com", email.Value);
        Assert.Equal("alice.smith@example.com", email.LookupKey);
    }

    [Fact]
    public void Equals_LocalPartsDifferingOnlyInCase_AreOneAccount()
    {
        var first = Parsed("Alice@example.com");
        var second = Parsed("aLICE@Example.com");

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.Equal(first.LookupKey, second.LookupKey);
        Assert.NotEqual(first.Value, second.Value);
    }

    [Fact]
    public void Parse_InternationalizedDomain_BecomesPunycode()
    {
        var unicode = Parsed("anna@Bücher.Example");
        var ascii = Parsed("anna@xn--bcher-kva.example");

        Assert.Equal("xn--bcher-kva.example", unicode.Domain);
        Assert.Equal(ascii, unicode);
    }

    [Fact]
    public void Parse_UnicodeLocalPart_IsAccepted()
    {
        var email = Parsed("jürgen@example.de");

        Assert.Equal("jürgen", email.LocalPart);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("alice")]
    [InlineData("alice@@example.com")]
    [InlineData("alice@bob@example.com")]
    [InlineData("@example.com")]
    [InlineData("alice@")]
    [InlineData("alice@localhost")]
    [InlineData("alice@example.com.")]
    [InlineData("al ice@example.com")]
    [InlineData("alice@exa mple.com")]
    [InlineData("alice\u0000@example.com")]
    [InlineData("alice\n@example.com")]
    [InlineData("ali\u200Bce@example.com")]
    [InlineData("\"alice\"@example.com")]
    [InlineData("alice@[192.0.2.1]")]
    [InlineData("alice@exa_mple.com")]
    [InlineData(".alice@example.com")]
    [InlineData("alice.@example.com")]
    [InlineData("al..ice@example.com")]
    [InlineData("alice@-example.com")]
    public void Parse_Malformed_IsRefusedOnFieldEmail(string? input)
    {
        var result = EmailAddress.Parse(input);

        Assert.False(result.IsSuccess);
        Assert.Equal(PasswordErrors.InvalidEmail, result.Error.Code);
        Assert.Equal("email", result.Error.Field);
    }

    [Fact]
    public void Parse_TwoAts_SaysExactlyOne()
    {
        var result = EmailAddress.Parse("a@b@example.com");

        Assert.False(result.IsSuccess);
        Assert.Contains("exactly one '@'", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LocalPartOf64Bytes_IsAcceptedAnd65Refused()
    {
        var ok = EmailAddress.Parse(new string('a', 64) + "@example.com");
        var tooLong = EmailAddress.Parse(new string('a', 65) + "@example.com");

        Assert.True(ok.IsSuccess);
        Assert.False(tooLong.IsSuccess);
        Assert.Equal(PasswordErrors.InvalidEmail, tooLong.Error.Code);
    }

    [Fact]
    public void Parse_LocalPartLimit_CountsUtf8Bytes()
    {
        // 33 × 'ü' is 33 characters but 66 UTF-8 bytes.
        var result = EmailAddress.Parse(new string('ü', 33) + "@example.com");

        Assert.False(result.IsSuccess);
    }

    [Fact]
    public void Parse_AddressOf254Characters_IsAcceptedAnd255Refused()
    {
        // 64 + 1 + 189 = 254.
        var ok = EmailAddress.Parse(new string('a', 64) + "@" + Domain(0));
        var tooLong = EmailAddress.Parse(new string('a', 64) + "@" + Domain(1));

        Assert.True(ok.IsSuccess, ok.Error?.Message);
        Assert.Equal(254, ok.Value!.Value.Length);
        Assert.False(tooLong.IsSuccess);
        Assert.Contains("254", tooLong.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HugeInput_IsRefusedWithoutNormalising()
    {
        var result = EmailAddress.Parse(new string('a', 1_000_000) + "@example.com");

        Assert.False(result.IsSuccess);
        Assert.Equal(PasswordErrors.InvalidEmail, result.Error.Code);
    }

    private static EmailAddress Parsed(string input)
    {
        var result = EmailAddress.Parse(input);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    /// <summary>A valid domain name of 189 + <paramref name="extra"/> characters: labels of at most 63, ending in ".com".</summary>
    private static string Domain(int extra) =>
        new string('b', 63) + "." + new string('c', 60 + extra) + "." + new string('d', 60) + ".com";
}
