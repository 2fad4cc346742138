using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Api.Tests.Identity;

/// <summary>
/// A loopback fake of Resend's send-email API (https://resend.com/docs/api-reference/emails/send-email): <c>POST /emails</c>
/// with a Bearer key answers 200 <c>{"id": …}</c> as Resend does, anything else 401/404. Records every request.
/// </summary>
public sealed class FakeResendApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeResendApi(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Method, string Path, string? Authorization, string? ContentType, string Body)> Requests { get; } = new();

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<FakeResendApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var fake = new FakeResendApi(builder.Build());
        fake._app.Run(fake.ServeAsync);
        await fake._app.StartAsync();
        var address = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake.BaseUrl = new Uri($"http://127.0.0.1:{new Uri(address).Port}");
        return fake;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task ServeAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var authorization = context.Request.Headers.Authorization.ToString();
        Requests.Enqueue((context.Request.Method, context.Request.Path.Value ?? "", authorization.Length == 0 ? null : authorization, context.Request.ContentType, body));
        if (context.Request.Method != "POST" || context.Request.Path != "/emails")
        {
            context.Response.StatusCode = 404;
            return;
        }

        if (!authorization.StartsWith("Bearer re_", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 401;
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("{\"id\":\"49a3999c-0ce1-4ea6-ab68-afcd6dc2e794\"}");
    }
}
