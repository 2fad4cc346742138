using Integrations.Core.Connections;
using Integrations.Core.Connections.Proxy;

namespace Integrations.Core.Tests.Connections.Proxy;

public sealed class ProxyPolicyEvaluatorTests
{
    private static readonly Uri Base = new("https://api.example.com/v1");

    [Fact]
    public void Evaluate_NoRules_AllowsEverything()
    {
        var decision = ProxyPolicyEvaluator.Evaluate([], "DELETE", "/anything/at/all");

        Assert.True(decision.IsAllowed);
        Assert.Null(decision.MatchedRule);
    }

    [Fact]
    public void Evaluate_DenyAndAllowBothMatch_DenyWins()
    {
        var allow = Allow("/admin/**");
        var deny = Deny("/admin/users/*");

        var decision = ProxyPolicyEvaluator.Evaluate([allow, deny], "GET", "/admin/users/7");

        Assert.False(decision.IsAllowed);
        Assert.Same(deny, decision.MatchedRule);
        Assert.Contains("deny", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_AllowListWithoutAMatch_Denies()
    {
        var decision = ProxyPolicyEvaluator.Evaluate([Allow("/users/*")], "GET", "/orders/1");

        Assert.False(decision.IsAllowed);
        Assert.Null(decision.MatchedRule);
    }

    [Fact]
    public void Evaluate_AllowListWithAMatch_AllowsAndNamesTheRule()
    {
        var rule = Allow("/users/*");

        var decision = ProxyPolicyEvaluator.Evaluate([Allow("/orders/**"), rule], "GET", "/users/1");

        Assert.True(decision.IsAllowed);
        Assert.Same(rule, decision.MatchedRule);
    }

    [Fact]
    public void Evaluate_OnlyDenyRulesNoneMatching_Allows()
    {
        var decision = ProxyPolicyEvaluator.Evaluate([Deny("/admin/**")], "GET", "/users/1");

        Assert.True(decision.IsAllowed);
    }

    [Theory]
    [InlineData("GET", false)]
    [InlineData("get", false)]
    [InlineData("POST", false)]
    [InlineData("DELETE", true)]
    public void Evaluate_RuleMethods_CompareIgnoringCase(string method, bool allowed)
    {
        var rules = new[] { new ProxyRule(ProxyRuleEffect.Deny, ["get", "Post"], "/**") };

        Assert.Equal(allowed, ProxyPolicyEvaluator.Evaluate(rules, method, "/x").IsAllowed);
    }

    [Theory]
    [InlineData("/users/*", "/users/1", true)]
    [InlineData("/users/*", "/users/1/", true)]
    [InlineData("/users/*", "/users", false)]
    [InlineData("/users/*", "/users/1/orders", false)]
    [InlineData("/users/**", "/users", true)]
    [InlineData("/users/**", "/users/1/orders/2", true)]
    [InlineData("/users/**/orders", "/users/orders", true)]
    [InlineData("/users/**/orders", "/users/1/2/orders", true)]
    [InlineData("/users/**/orders", "/users/1/2/orders/3", false)]
    [InlineData("/**", "/", true)]
    [InlineData("/*", "/", false)]
    [InlineData("/a*", "/abc", false)]
    [InlineData("/a*", "/a*", true)]
    [InlineData("/**/**/x", "/x", true)]
    public void Evaluate_Globs_StarIsOneSegmentDoubleStarAny(string glob, string path, bool matches)
    {
        var decision = ProxyPolicyEvaluator.Evaluate([Allow(glob)], "GET", path);

        Assert.Equal(matches, decision.IsAllowed);
    }

    [Fact]
    public void Evaluate_DenyLiteral_MatchesEveryCasingWhileAllowMatchesExactly()
    {
        Assert.False(ProxyPolicyEvaluator.Evaluate([Deny("/admin/**")], "GET", "/ADMIN/x").IsAllowed);
        Assert.False(ProxyPolicyEvaluator.Evaluate([Allow("/users/*")], "GET", "/USERS/1").IsAllowed);
    }

    [Theory]
    [InlineData("/public/../admin/keys")]
    [InlineData("/public/%2e%2e/admin/keys")]
    [InlineData("/public/.%2E/admin/keys")]
    [InlineData("/x//y/../../admin/keys")]
    [InlineData("/%61dmin/keys")]
    [InlineData("/admin/./keys")]
    public void Evaluate_DotSegmentsAndEncodings_CannotSlipPastADeny(string callerPath)
    {
        var resolved = ProxyPath.Resolve(Base, callerPath);
        Assert.True(resolved.IsValid, resolved.Message);

        var decision = ProxyPolicyEvaluator.Evaluate([Allow("/**"), Deny("/admin/**")], "GET", resolved.Path);

        Assert.False(decision.IsAllowed);
        Assert.Equal("/admin/**", decision.MatchedRule?.PathGlob);
    }

    [Theory]
    [InlineData("/users/*", null)]
    [InlineData("/**", null)]
    [InlineData("users/*", "starts with '/'")]
    [InlineData("", "starts with '/'")]
    [InlineData("/a/../b", "'..'")]
    [InlineData("/a%2fb", "'%'")]
    [InlineData("/files/a*", "whole segments")]
    public void ValidateGlob_ExplainsWhatIsWrong(string glob, string? fragment)
    {
        var error = ProxyPolicyEvaluator.ValidateGlob(glob);

        if (fragment is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Contains(fragment, error, StringComparison.Ordinal);
        }
    }

    private static ProxyRule Allow(string glob) => new(ProxyRuleEffect.Allow, [], glob);

    private static ProxyRule Deny(string glob) => new(ProxyRuleEffect.Deny, [], glob);
}
