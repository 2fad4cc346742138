using Integrations.Api;
using Integrations.Api.Jobs;
using Integrations.Api.Routing;
using Integrations.Azure.Hosting;
using Integrations.Core.Hosting;
using Integrations.Server.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Integrations.Server.Tests;

/// <summary>
/// DESIGN.md: both shells expose exactly the route table and the job tables. Functions is checked through the
/// functions.metadata its build generated (what the Functions host indexes); the Server as built (its endpoints and
/// hosted services, never started).
/// </summary>
public sealed class ShellParityTests
{
    private static readonly string[] KnownTriggers = ["httpTrigger", "timerTrigger", "queueTrigger"];

    [Fact]
    public void FunctionsMetadata_EveryFunction_HasOneKnownTriggerAndAUniqueName()
    {
        // Act
        var functions = FunctionsMetadata.Functions;

        // Assert: a function with no trigger, two triggers or another kind of trigger would escape the checks below.
        Assert.NotEmpty(functions);
        Assert.All(functions, f => Assert.True(f.Triggers.Count == 1, $"{f.Name} has {f.Triggers.Count} triggers."));
        Assert.All(functions, f => Assert.Contains(f.TriggerType, KnownTriggers));
        AssertSameSet(functions.Select(f => f.Name).Distinct(), functions.Select(f => f.Name));
    }

    [Fact]
    public void FunctionsHttpTriggers_MatchApiRoutes()
    {
        // Act
        var triggers = FunctionsMetadata.WithTrigger("httpTrigger").ToList();

        // Assert: one method (or none listed: every method, for an ApiRoute.AnyMethod route) and the route per function,
        // anonymous (the hub authenticates callers itself).
        Assert.All(triggers.Where(f => f.Trigger["methods"] is not null), f => Assert.Single(f.Trigger["methods"]!.AsArray()));
        Assert.All(triggers, f => Assert.Equal("Anonymous", f.Property("authLevel")));
        var found = triggers.Select(f => (f.Name,
            f.Trigger["methods"] is { } methods ? ((string)methods[0]!).ToUpperInvariant() : ApiRoute.AnyMethod, f.Property("route")));
        AssertSameSet(ApiRoutes.All.Select(r => (r.Name, r.Method, r.Template)), found);
    }

    [Fact]
    public void FunctionsTimerTriggers_ReadEveryScheduledJobsSetting()
    {
        // Act
        var found = FunctionsMetadata.WithTrigger("timerTrigger").Select(f => (f.Name, f.Property("schedule")));

        // Assert
        AssertSameSet(ScheduledJobs.All.Select(j => (j.Name, $"%{j.ScheduleSetting}%")), found);
    }

    [Fact]
    public void FunctionsQueueTriggers_BindEveryQueueJobsNameSetting()
    {
        // Act
        var found = FunctionsMetadata.WithTrigger("queueTrigger").Select(f => (f.Name, f.Property("queueName"), f.Property("connection")));

        // Assert: the queue name is the job's setting (never a literal), on the hub's own Storage connection.
        AssertSameSet(QueueJobs.All.Select(j => (j.Name, $"%{j.QueueNameSetting}%", "Storage")), found);
    }

    [Fact]
    public async Task ServerRoutes_MatchApiRoutes()
    {
        // Arrange: the Server's registrations and routes; nothing is started, so no storage is needed.
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddIntegrationsHubServer();
        await using var app = builder.Build();
        app.MapIntegrationsHub();

        // Act
        var mapped = ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText != "{*path:nonfile}") // MapFallback: the problem-details 404
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [ApiRoute.AnyMethod])
                .Select(method => (endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName, method, endpoint.RoutePattern.RawText)))
            .ToList();

        // Assert
        var expected = ApiRoutes.All.Select(r => ((string?)r.Name, r.Method, (string?)("/" + r.Template)));
        AssertSameSet(expected, mapped);
    }

    [Fact]
    public async Task ServerCronJobs_MatchScheduledJobs()
    {
        // Arrange
        await using var provider = ServerComposition.Build();

        // Act
        var jobs = provider.GetServices<IHostedService>().OfType<CronJobService>().Select(s => s.Job);

        // Assert
        AssertSameSet(ScheduledJobs.All, jobs);
    }

    [Fact]
    public async Task ServerQueueWorkers_OnePerQueueJob()
    {
        // Arrange
        await using var provider = ServerComposition.Build();

        // Act
        var jobs = provider.GetServices<IHostedService>().OfType<QueueJobService>().Select(s => s.Job);

        // Assert
        AssertSameSet(QueueJobs.All, jobs);
    }

    [Fact]
    public async Task BothShells_ExposeTheSameFunctions()
    {
        // Arrange
        await using var provider = ServerComposition.Build();
        var hosted = provider.GetServices<IHostedService>().ToList();

        // Act: everything the Server runs, by name, against everything the Functions host indexes.
        var server = ApiRoutes.All.Select(r => r.Name)
            .Concat(hosted.OfType<CronJobService>().Select(s => s.Job.Name))
            .Concat(hosted.OfType<QueueJobService>().Select(s => s.Job.Name));

        // Assert
        AssertSameSet(server, FunctionsMetadata.Functions.Select(f => f.Name));
    }

    /// <summary>Equal as sets, with a message naming what is missing on each side.</summary>
    internal static void AssertSameSet<T>(IEnumerable<T> expected, IEnumerable<T> actual)
    {
        var want = expected.ToList();
        var got = actual.ToList();
        var missing = want.Except(got).ToList();
        var extra = got.Except(want).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"missing: [{string.Join(", ", missing)}]; not expected: [{string.Join(", ", extra)}]");
        Assert.Equal(want.Count, got.Count); // no duplicates either
    }
}
