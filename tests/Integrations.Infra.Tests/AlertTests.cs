namespace Integrations.Infra.Tests;

/// <summary>The five alert rules exist over the hub's telemetry, with their thresholds taken from main.bicep's parameters.</summary>
public sealed class AlertTests
{
    /// <summary>Rule → what its query must read and the main.bicep parameter that sets its threshold.</summary>
    public static TheoryData<string, string, string> Rules => new()
    {
        { "connection-failures", "hub.connection.checks", "connectionFailureThreshold" },
        { "auth-failures", "\"401\", \"403\"", "authFailureThreshold" },
        { "token-refresh-failures", "hub.oauth.token_refreshes", "tokenRefreshFailureThreshold" },
        { "poison-queue-depth", "hub.queue.poison_messages", "poisonQueueDepthThreshold" },
        { "server-errors", ">= 500", "serverErrorPercentThreshold" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task AlertRule_ReadsItsSignal_WithItsThresholdFromAParameter(string rule, string signal, string thresholdParameter)
    {
        // Arrange: a threshold no default uses, to see it arrive in the rule.
        var main = await CompiledTemplate.MainAsync(new Dictionary<string, object?>(CompiledTemplate.AzdParameters) { [thresholdParameter] = 37L });
        var alerts = main.Module("alerts");

        // Act
        var rules = ((List<object?>)alerts.Variable("rules")!).Cast<Dictionary<string, object?>>().ToList();
        var found = rules.SingleOrDefault(r => (string?)r["name"] == rule);

        // Assert
        Assert.NotNull(found);
        Assert.Contains(signal, (string)found["query"]!, StringComparison.Ordinal);
        Assert.Equal(37L, found["threshold"]);
        var resource = alerts.ResourcesOfType("Microsoft.Insights/scheduledQueryRules").Single();
        Assert.Equal("[length(variables('rules'))]", (string?)resource["copy"]!["count"]);
        Assert.Equal("[variables('rules')[copyIndex()].threshold]", (string?)resource["properties"]!["criteria"]!["allOf"]![0]!["threshold"]);
    }

    [Fact]
    public async Task AlertRules_AreFiveOverApplicationInsights()
    {
        // Arrange
        var main = await CompiledTemplate.MainAsync();
        var alerts = main.Module("alerts");

        // Act
        var rules = (List<object?>)alerts.Variable("rules")!;
        var scope = alerts.Parameter("applicationInsightsId")?.ToString();

        // Assert
        Assert.Equal(5, rules.Count);
        Assert.Contains("/Microsoft.Insights/components/", scope, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("ops@example.com", true)]
    public async Task ActionGroup_ExistsOnlyWithAnEmail(string email, bool expected)
    {
        // Arrange
        var main = await CompiledTemplate.MainAsync(new Dictionary<string, object?>(CompiledTemplate.AzdParameters) { ["alertEmail"] = email });
        var alerts = main.Module("alerts");

        // Act
        var group = alerts.ResourcesOfType("Microsoft.Insights/actionGroups").Single();
        var deployed = (bool)alerts.Evaluate(group["condition"])!;
        var wired = (List<object?>)alerts.Variable("actionGroups")!;

        // Assert
        Assert.Equal(expected, deployed);
        Assert.Equal(expected ? 1 : 0, wired.Count);
    }
}
