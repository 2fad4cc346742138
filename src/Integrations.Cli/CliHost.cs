using System.Text.RegularExpressions;
using Integrations.Azure.Hosting;
using Integrations.Core.Hosting;
using Integrations.Core.Identity.Recovery;
using Integrations.Core.Identity.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Integrations.Cli;

/// <summary>
/// The hub's services for one command, composed as the Server composes them (Core + Azure, same configuration
/// keys), with every option validated before anything runs. The host is built but never started: the CLI runs no
/// hosted services, and starting one would only add console-lifetime noise.
/// </summary>
internal sealed partial class CliHost : IAsyncDisposable
{
    private readonly IHost _host;

    private CliHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    /// <summary>Builds and validates the services. Throws <see cref="CliConfigurationException"/> naming every setting to fix.</summary>
    /// <param name="settings">The base settings; null reads the environment variables (<c>Storage</c>, <c>KeyWrapping__RootKey</c>, …).</param>
    /// <param name="overrides">Settings from the command line, which win over the base ones.</param>
    public static CliHost Create(IConfiguration? settings, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        // No defaults: an appsettings.json in whatever folder the operator stands in must not change which store the CLI touches.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "ihub" });
        if (settings is null)
        {
            builder.Configuration.AddEnvironmentVariables();
        }
        else
        {
            builder.Configuration.AddConfiguration(settings);
        }

        builder.Configuration.AddInMemoryCollection(overrides ?? []);

        // Logs go to stderr and only from Warning up, so stdout stays the command's result; Logging:LogLevel:Default changes that.
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        builder.Services.AddIntegrationsCore().AddIntegrationsAzure().AddIntegrationsAccessTokens().AddIntegrationsRecovery();
        var host = builder.Build();
        try
        {
            Validate(host.Services);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new CliHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        // Async disposal flushes the audit store's batched appends.
        if (_host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            _host.Dispose();
        }
    }

    /// <summary>Runs the ValidateOnStart checks that host start would run, and turns their failures into one message.</summary>
    private static void Validate(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException ex)
        {
            throw Invalid(ex.Failures);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            throw Invalid(ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures));
        }
    }

    // Our attribute messages already name the setting; drop the "DataAnnotation validation failed for 'HubOptions'…" frame around them.
    private static string Unwrap(string failure) => DataAnnotationFailure().Match(failure) is { Success: true } match ? match.Groups[1].Value : failure;

    [GeneratedRegex(@"^DataAnnotation validation failed for '\w+' members: '\w+' with the error: '(.*)'\.$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();

    private static CliConfigurationException Invalid(IEnumerable<string> failures) => new(
        string.Join(Environment.NewLine, failures.Select(Unwrap).Distinct(StringComparer.Ordinal)) + Environment.NewLine +
        "Settings come from environment variables (a double underscore for each colon: Storage__Prefix sets Storage:Prefix) " +
        "or from the options listed by `ihub --help`.");
}
