namespace Integrations.Cli;

/// <summary>A setting is missing or wrong. The message names the setting to fix; the CLI exits with <see cref="ExitCodes.Configuration"/>.</summary>
internal sealed class CliConfigurationException(string message) : Exception(message);
