using System.Text.RegularExpressions;
using Azure.Storage.Queues;
using Integrations.Api;
using Integrations.Api.Jobs;
using Integrations.Api.Routing;
using Integrations.Azure.Hosting;
using Integrations.Azure.Queues;
using Integrations.Core.Common;
using Integrations.Core.Hosting;
using Integrations.Server.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Integrations.Server.Tests;

/// <summary>
/// DESIGN.md: every HTTP route, timer and queue trigger exists in both shells or the build fails. The Server is
/// inspected as built (its endpoints and hosted services, never started); Functions through its source.
/// </summary>
public sealed partial class ShellParityTests
{
    // The Functions app uses the default Storage:Prefix (StorageQueueDispatcher names queues {prefix}-{queue}).
    private const string QueuePrefix = "ih-";

    [Fact]
    public async Task ServerRoutes_MatchApiRoutes()
    {
        // Arrange: the Server's registrations and routes; nothing is started, so no storage is needed.
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddIntegrationsCore().AddIntegrationsAzure().AddIntegrationsApi();
        await using var app = builder.Build();
        app.MapIntegrationsHub();

        // Act
        var mapped = ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText != "{*path:nonfile}") // MapFallback: the problem-details 404
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["(any)"])
                .Select(method => (endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName, method, endpoint.RoutePattern.RawText)))
            .ToList();

        // Assert
        var expected = ApiRoutes.All.Select(r => ((string?)r.Name, r.Method, (string?)("/" + r.Template)));
        AssertSameSet(expected, mapped);
    }

    [Fact]
    public void FunctionsHttpTriggers_MatchApiRoutes()
    {
        // Act
        var triggers = FunctionsSource.Triggers(HttpTriggerRegex()).ToList();

        // Assert: every HttpTrigger has the shape the regex reads, and the set matches the route table.
        Assert.Equal(FunctionsSource.Count("[HttpTrigger("), triggers.Count);
        var found = triggers.Select(t => (t.Function, t.Trigger.Groups["method"].Value.ToUpperInvariant(), t.Trigger.Groups["route"].Value));
        AssertSameSet(ApiRoutes.All.Select(r => (r.Name, r.Method, r.Template)), found);

        // Route values bind to parameters by name; a misspelt one would arrive as null.
        foreach (var (function, trigger) in triggers)
        {
            var routeValues = RouteValueRegex().Matches(trigger.Groups["route"].Value).Select(m => m.Groups[1].Value);
            var parameters = StringParameterRegex().Matches(trigger.Groups["rest"].Value).Select(m => m.Groups[1].Value);
            Assert.True(routeValues.SequenceEqual(parameters), $"{function}: parameters ({string.Join(", ", parameters)}) should be the route values ({string.Join(", ", routeValues)}).");
        }
    }

    [Fact]
    public void FunctionsTimers_MatchScheduledJobs()
    {
        // Act
        var triggers = FunctionsSource.Triggers(TimerTriggerRegex()).ToList();
        var serverJobs = ServerHostedServices().OfType<CronJobService>().Select(s => s.Job);

        // Assert: Functions reads each schedule from the job's setting (%…%), and the Server runs each job.
        Assert.Equal(FunctionsSource.Count("[TimerTrigger("), triggers.Count);
        var expected = ScheduledJobs.All.Select(j => (j.Name, j.ScheduleSetting)).ToList();
        AssertSameSet(expected, triggers.Select(t => (t.Function, t.Trigger.Groups["setting"].Value)));
        AssertSameSet(expected, serverJobs.Select(j => (j.Name, j.ScheduleSetting)));
    }

    [Fact]
    public void FunctionsQueueTriggers_MatchJobQueues()
    {
        // Act
        var triggers = FunctionsSource.Triggers(QueueTriggerRegex()).ToList();
        var serverQueues = ServerHostedServices().OfType<QueueJobService>().Select(s => s.QueueName);

        // Assert: Functions listens on the prefixed queue through the hub's own Storage setting; the Server polls each queue.
        Assert.Equal(FunctionsSource.Count("[QueueTrigger("), triggers.Count);
        AssertSameSet(JobQueues.All.Select(q => (QueuePrefix + q, "Storage")),
            triggers.Select(t => (t.Trigger.Groups["queue"].Value, t.Trigger.Groups["connection"].Value)));
        AssertSameSet(JobQueues.All, serverQueues);
    }

    /// <summary>The hosted services the Server registers for its jobs, constructed (not started) with storage clients that never connect.</summary>
    private static List<IHostedService> ServerHostedServices()
    {
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(TimeProvider.System)
            .AddSingleton(new QueueServiceClient("UseDevelopmentStorage=true"))
            .AddSingleton(new HubQueueNames("ih"))
            .AddIntegrationsServerJobs();
        using var provider = services.BuildServiceProvider();
        return [.. provider.GetServices<IHostedService>()];
    }

    /// <summary>Equal as sets, with a message naming what is missing on each side.</summary>
    private static void AssertSameSet<T>(IEnumerable<T> expected, IEnumerable<T> actual)
    {
        var want = expected.ToList();
        var got = actual.ToList();
        var missing = want.Except(got).ToList();
        var extra = got.Except(want).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"missing: [{string.Join(", ", missing)}]; not expected: [{string.Join(", ", extra)}]");
        Assert.Equal(want.Count, got.Count); // no duplicates either
    }

    [GeneratedRegex("""^\s*\[HttpTrigger\(AuthorizationLevel\.Anonymous,\s*"(?<method>[a-z]+)",\s*Route\s*=\s*"(?<route>[^"]+)"\)\]\s*HttpRequest\s+\w+(?<rest>.*)$""", RegexOptions.Singleline)]
    private static partial Regex HttpTriggerRegex();

    [GeneratedRegex("""^\s*\[TimerTrigger\("%(?<setting>[^"%]+)%"\)\]\s*TimerInfo\s+\w+""", RegexOptions.Singleline)]
    private static partial Regex TimerTriggerRegex();

    [GeneratedRegex("""^\s*\[QueueTrigger\("(?<queue>[^"]+)",\s*Connection\s*=\s*"(?<connection>[^"]+)"\)\]\s*string\s+\w+""", RegexOptions.Singleline)]
    private static partial Regex QueueTriggerRegex();

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex RouteValueRegex();

    [GeneratedRegex(@",\s*string\s+(\w+)")]
    private static partial Regex StringParameterRegex();
}
