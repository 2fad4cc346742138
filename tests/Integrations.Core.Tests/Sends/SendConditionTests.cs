using System.Text.Json;
using Integrations.Core.Sends;

namespace Integrations.Core.Tests.Sends;

public sealed class SendConditionTests
{
    private static readonly JsonElement Context = JsonDocument.Parse(
        """{"totalAmount": 12000, "status": "paid", "digits": "10001", "flag": true, "none": null, "customer": {"name": "Bob"}, "items": [1, 2]}""").RootElement;

    [Theory]
    [InlineData("totalAmount > 10000 && status == 'paid'", true)]
    [InlineData("totalAmount > 20000", false)]
    [InlineData("status == 'PAID'", false)]
    [InlineData("status in ('open', 'paid')", true)]
    [InlineData("status not in ('open', 'paid')", false)]
    [InlineData("in(status, 'open', 'paid')", true)]
    [InlineData("Max(totalAmount, 1) >= 12000 && Abs(-1) == 1", true)]
    [InlineData("if(flag, totalAmount, 0) > 0", true)]
    [InlineData("flag ? status == 'paid' : false", true)]
    [InlineData("missing == 'x'", false)]
    [InlineData("missing == null", true)]
    [InlineData("none > 5", false)]
    [InlineData("!flag || totalAmount % 7 == 2", true)]
    public void Evaluate_SafeExpression_ReturnsItsValue(string condition, bool expected)
    {
        var result = SendCondition.Evaluate(condition, Context);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(expected, result.Value);
    }

    [Theory]
    // Functions outside the safe set, and what looks like member access or reflection.
    [InlineData("Sqrt(totalAmount) > 1", "only the functions")]
    [InlineData("Round(totalAmount, 0) > 1", "only the functions")]
    [InlineData("System.IO.File.Exists('x')", "not a valid expression")]
    [InlineData("customer.name == 'Bob'", "not a valid expression")]
    [InlineData("GetType() == 'x'", "only the functions")]
    // Operators outside the safe set.
    [InlineData("status like 'p%'", "operator")]
    [InlineData("(totalAmount & 1) == 0", "operator")]
    [InlineData("2 ** 10 > 1", "operator")]
    [InlineData("5! > 1", "operator")]
    [InlineData("(none ?? 1) == 1", "operator")]
    // Type tricks: a string is never a number, an object is not a value, the result must be a boolean.
    [InlineData("digits > 10000", "needs a number")]
    [InlineData("digits == 10001", "a string is never read as a number")]
    [InlineData("status + 1 > 0", "needs a number")]
    [InlineData("flag + 1 > 0", "needs a number")]
    [InlineData("customer == 'Bob'", "object or array")]
    [InlineData("[customer] != null", "object or array")]
    [InlineData("items in (1, 2)", "object or array")]
    [InlineData("totalAmount + 1", "true or false")]
    [InlineData("'paid'", "true or false")]
    [InlineData("#2024-01-01# < #2025-01-01#", "not a valid expression")]
    [InlineData("", "empty")]
    [InlineData("totalAmount > ", "not a valid expression")]
    public void Evaluate_MaliciousOrInvalidExpression_IsRefusedWithAReason(string condition, string reason)
    {
        var result = SendCondition.Evaluate(condition, Context);

        Assert.False(result.IsSuccess);
        Assert.Equal(SendErrors.ConditionRefused, result.Error.Code);
        Assert.Equal("condition", result.Error.Field);
        Assert.Contains(reason, result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_LongerThan500Characters_IsRefusedBeforeParsing()
    {
        var condition = "totalAmount > 1" + string.Concat(Enumerable.Repeat(" && flag", 70));

        var result = SendCondition.Evaluate(condition, Context);

        Assert.True(condition.Length > SendCondition.MaxLength);
        Assert.Equal(SendErrors.ConditionTooLong, result.Error?.Code);
    }

    [Theory]
    [InlineData(60, "Abs(", "1", ")", " > 0")]
    [InlineData(400, "!", "flag", "", "")]
    [InlineData(400, "-", "1 > 0", "", "")]
    [InlineData(60, "(1 + ", "1", ")", " > 0")]
    public void Evaluate_DeeplyNested_IsRefused(int depth, string open, string inner, string close, string tail)
    {
        var condition = string.Concat(Enumerable.Repeat(open, depth)) + inner + string.Concat(Enumerable.Repeat(close, depth)) + tail;

        var result = SendCondition.Evaluate(condition, Context);

        Assert.True(condition.Length <= SendCondition.MaxLength, condition.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(result.IsSuccess);
        Assert.Equal(SendErrors.ConditionRefused, result.Error.Code);
        Assert.Contains("nested", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_RedundantParentheses_AddNoDepth()
    {
        var condition = new string('(', 240) + "flag" + new string(')', 240);

        var result = SendCondition.Evaluate(condition, Context);

        Assert.True(result.Value);
    }

    [Fact]
    public void Evaluate_ManyParts_IsRefused()
    {
        var condition = "1 in (" + string.Join(",", Enumerable.Repeat("1", 240)) + ")";

        var result = SendCondition.Evaluate(condition, Context);

        Assert.Contains("parts", result.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_RefusalMessage_NeverQuotesAContextValue()
    {
        var secret = JsonDocument.Parse("""{"token": "sk_live_secret_value_123"}""").RootElement;

        var results = new[] { "token > 5", "token + 1 > 0", "token == 5" }.Select(c => SendCondition.Evaluate(c, secret)).ToList();

        Assert.All(results, r => Assert.False(r.IsSuccess));
        Assert.All(results, r => Assert.DoesNotContain("sk_live", r.Error!.Message, StringComparison.Ordinal));
    }
}
