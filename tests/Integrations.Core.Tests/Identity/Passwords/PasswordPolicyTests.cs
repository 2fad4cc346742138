using Integrations.Core.Identity.Passwords;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Tests.Identity.Passwords;

public sealed class PasswordPolicyTests
{
    private static readonly PasswordPolicy Seed = new(Options.Create(new PasswordOptions { PasswordPolicy = PasswordPolicyKind.Seed }));
    private static readonly PasswordPolicy Nist = new(Options.Create(new PasswordOptions { PasswordPolicy = PasswordPolicyKind.Nist }));

    [Fact]
    public void Default_IsSeed()
    {
        Assert.Equal(PasswordPolicyKind.Seed, new PasswordOptions().PasswordPolicy);
    }

    [Fact]
    public void CheckSeed_SevenCharacters_IsTooShort()
    {
        var error = Seed.Check("Xq7#pL2");

        Assert.Equal(PasswordErrors.PasswordTooShort, error?.Code);
        Assert.Equal("password", error?.Field);
    }

    [Fact]
    public void CheckSeed_EightCharactersOfEveryKind_IsAccepted()
    {
        Assert.Null(Seed.Check("Xq7#pL2m"));
    }

    [Theory]
    [InlineData("xq7#pl2mzt")] // no upper case
    [InlineData("XQ7#PL2MZT")] // no lower case
    [InlineData("Xqk#pLwmzt")] // no digit
    [InlineData("Xq7kpL2mzt")] // no special character
    public void CheckSeed_MissingACharacterKind_IsComposition(string password)
    {
        Assert.Equal(PasswordErrors.PasswordComposition, Seed.Check(password)?.Code);
    }

    [Fact]
    public void CheckSeed_Password1Bang_IsTooCommon()
    {
        // Meets every composition rule of seed 002, and is one of the most common passwords there are.
        var error = Seed.Check("Password1!");

        Assert.Equal(PasswordErrors.PasswordTooCommon, error?.Code);
    }

    [Theory]
    [InlineData("P@ssw0rd2024")]
    [InlineData("Abcdefg1!")]
    [InlineData("Summer2024!")]
    public void CheckSeed_CompliantButGuessable_IsTooCommon(string password)
    {
        Assert.Equal(PasswordErrors.PasswordTooCommon, Seed.Check(password)?.Code);
    }

    [Fact]
    public void CheckNist_FourteenCharacters_IsTooShort()
    {
        Assert.Equal(PasswordErrors.PasswordTooShort, Nist.Check("wQ8$vR3nT6yU1z")?.Code);
    }

    [Fact]
    public void CheckNist_FifteenCharacters_IsAccepted()
    {
        Assert.Null(Nist.Check("wQ8$vR3nT6yU1zK"));
    }

    [Fact]
    public void CheckNist_LowerCasePassphrase_IsAcceptedWithoutCompositionRules()
    {
        const string passphrase = "vinyl otter cactus lantern";

        Assert.Null(Nist.Check(passphrase));
        Assert.Equal(PasswordErrors.PasswordComposition, Seed.Check(passphrase)?.Code);
    }

    [Theory]
    [InlineData("aaaaaaaaaaaaaaaa")]
    [InlineData("qwertyuiopasdfgh")]
    [InlineData("passwordpassword")]
    [InlineData("1234567890123456")]
    public void CheckNist_LongButGuessable_IsTooCommon(string password)
    {
        Assert.Equal(PasswordErrors.PasswordTooCommon, Nist.Check(password)?.Code);
    }

    [Fact]
    public void Check_LengthCountsCodePointsAfterNfkc()
    {
        // 14 characters outside the BMP are 28 UTF-16 units but 14 code points: still too short for nist.
        var emoji = string.Concat(Enumerable.Repeat("\U0001F600", 14));
        // Full-width letters fold to ASCII under NFKC, so the estimator recognises "Password1!" in them.
        Assert.Equal(PasswordErrors.PasswordTooShort, Nist.Check(emoji)?.Code);
        Assert.Equal(PasswordErrors.PasswordTooCommon, Seed.Check("Ｐａｓｓｗｏｒｄ１！")?.Code);
    }

    [Fact]
    public void Check_Over256CodePoints_IsTooLong()
    {
        var ok = "vinyl otter cactus lantern " + new string('x', 256 - 27);
        var tooLong = ok + "y";

        Assert.Null(Nist.Check(ok));
        Assert.Equal(PasswordErrors.PasswordTooLong, Nist.Check(tooLong)?.Code);
        Assert.Equal(PasswordErrors.PasswordTooLong, Nist.Check(new string('x', 1_000_000))?.Code);
    }

    [Fact]
    public void Score_PasswordContainingTheEmailLocalPart_ScoresLower()
    {
        var email = EmailAddress.Parse("alice.smith@example.com").Value!;
        var inputs = PasswordPolicy.UserInputs(email, null);

        var withInputs = PasswordPolicy.Score("alice.smith.2024!", inputs);
        var without = PasswordPolicy.Score("alice.smith.2024!", []);

        Assert.True(withInputs < without, $"{withInputs} should be below {without}");
    }

    [Fact]
    public void CheckSeed_PasswordBuiltFromTheEmail_IsTooCommonButFineForSomeoneElse()
    {
        var alice = EmailAddress.Parse("alice.smith@example.com").Value!;
        var bob = EmailAddress.Parse("bob@example.com").Value!;

        Assert.Equal(PasswordErrors.PasswordTooCommon, Seed.Check("Alice.smith.2024!", alice)?.Code);
        Assert.Null(Seed.Check("Alice.smith.2024!", bob));
    }

    [Fact]
    public void CheckNist_PasswordBuiltFromTheDisplayName_IsTooCommon()
    {
        Assert.Null(Nist.Check("jonathan-mcallister-1985", displayName: "Maria Garcia"));
        Assert.Equal(PasswordErrors.PasswordTooCommon, Nist.Check("jonathan-mcallister-1985", displayName: "Jonathan McAllister")?.Code);
    }

    [Theory]
    [InlineData("Password1!")]
    [InlineData("Xq7")]
    [InlineData("xq7#pl2mzt")]
    [InlineData("Summer2024!")]
    public void Check_Refusal_NeverEchoesThePassword(string password)
    {
        var error = Seed.Check(password);

        Assert.NotNull(error);
        Assert.DoesNotContain(password, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Missing_IsTooShort()
    {
        Assert.Equal(PasswordErrors.PasswordTooShort, Seed.Check(null)?.Code);
        Assert.Equal(PasswordErrors.PasswordTooShort, Nist.Check("")?.Code);
    }

    [Fact]
    public void Check_FromManyThreadsAtOnce_GivesTheSameAnswersAsOneByOne()
    {
        // The estimator is one instance per process; its dictionaries must only be read.
        string[] passwords = ["Password1!", "Xq7#pL2m", "Summer2024!", "wQ8$vR3nT6yU1zK", "Abcdefg1!", "Tr0ub4dor&3x"];
        var expected = passwords.Select(p => Seed.Check(p)?.Code).ToArray();

        var actual = new string?[passwords.Length * 50];
        Parallel.For(0, actual.Length, i => actual[i] = Seed.Check(passwords[i % passwords.Length])?.Code);

        for (var i = 0; i < actual.Length; i++)
        {
            Assert.Equal(expected[i % passwords.Length], actual[i]);
        }
    }
}
