using Integrations.Cli;

// ihub, the hub's admin command line. The command groups are listed in Cli.CreateRootCommand, one file each:
//   keys     KeysCommands.cs     KEK rotation (run in-process with a progress bar) and rotation status
//   audit    AuditCommands.cs    verify the audit hash chain; seal and clean up on demand
//   orgs     OrgCommands.cs      create an organization and its owner API key
//   apikeys  ApiKeyCommands.cs   create, list and revoke an organization's API keys
// CliHost.cs composes the same services as the Server; exit codes are in ExitCodes.cs.
return await Cli.RunAsync(args).ConfigureAwait(false);
