using Integrations.Core.Common;
using Integrations.Core.Events;
using Integrations.Core.OAuth;
using Integrations.Core.Tenancy;
using Integrations.Core.Vault;
using Microsoft.Extensions.Hosting;

namespace Integrations.Core.Connections;

/// <summary>
/// A project's connections: create, read, list (by end user), patch, delete. Configuration writes are conditional on
/// the configuration row's ETag (re-read and re-applied on a conflict); status changes go through
/// <see cref="ConnectionStateChanges"/> only. Expected failures come back as <see cref="HubError"/> values.
/// </summary>
/// <remarks>
/// Three dependencies are optional, so that a composition of Core and storage alone (the CLI, storage tests) builds:
/// without <paramref name="providers"/> a project has no OAuth providers (every <c>provider_id</c> is unknown), without
/// <paramref name="strategies"/> no retry strategy name is accepted, and without <paramref name="environment"/> the
/// production rules apply. The shells register all three.
/// </remarks>
public sealed class ConnectionService(
    IConnectionStore store, VaultService vault, ConnectionStateChanges states, EventWriter events, IConnectionTokenRevoker revoker, TimeProvider time,
    IProviderStore? providers = null, IRetryStrategyCatalog? strategies = null, IHostEnvironment? environment = null,
    ConnectionCache? cache = null)
{
    /// <summary>Connection ids are <c>con_…</c> (<see cref="Ids"/>).</summary>
    public const string IdPrefix = "con";

    private const int MaxAttempts = 16;

    /// <summary>
    /// Base URLs must be https outside Development: the host's environment (<c>DOTNET_ENVIRONMENT</c>,
    /// <c>ASPNETCORE_ENVIRONMENT</c>, <c>AZURE_FUNCTIONS_ENVIRONMENT</c>), as ASP.NET Core itself tells Development apart.
    /// A composition without a host (a tool, a test) gets the production rule.
    /// </summary>
    private ConnectionRuleSettings Settings => new(environment?.IsDevelopment() != true, strategies?.Names ?? []);

    /// <summary>
    /// Creates a connection in <paramref name="project"/> (verified by the pipeline). A static type whose secrets exist
    /// starts <c>active</c>, an OAuth type <c>pending</c>, one created with <c>enabled: false</c> <c>disabled</c>.
    /// </summary>
    public async Task<Result<Connection>> CreateAsync(Project project, ConnectionInput input, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(input);
        var now = time.GetUtcNow();
        var template = new Connection
        {
            Id = Ids.New(IdPrefix),
            OrganizationId = project.OrganizationId,
            ProjectId = project.Id,
            Name = "",
            Type = ConnectionType.ApiKey,
            CreatedBy = actor,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var applied = ConnectionRules.Apply(input, template, Settings);
        if (!applied.IsSuccess)
        {
            return applied.Error;
        }

        var connection = applied.Value;
        if (await CheckReferencesAsync(connection, cancellationToken).ConfigureAwait(false) is { } error)
        {
            return error;
        }

        var status = !connection.Enabled ? ConnectionStatus.Disabled : ConnectionTypes.IsOAuth(connection.Type) ? ConnectionStatus.Pending : ConnectionStatus.Active;
        connection = connection with
        {
            State = ConnectionState.New with { Status = status, AuthorizedBy = status == ConnectionStatus.Active ? actor : null },
        };
        if (await store.TryCreateAsync(connection, cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            return NameTaken(connection.Name);
        }

        await events.AppendAsync(project.OrganizationId, project.Id, HubEventTypes.ConnectionCreated, Subject(connection.Id), Data(connection), cancellationToken)
            .ConfigureAwait(false);
        return await store.GetAsync(project.OrganizationId, project.Id, connection.Id, cancellationToken).ConfigureAwait(false) ?? connection;
    }

    /// <summary>The connection with its state; an id of another project or tenant is not found.</summary>
    public async Task<Result<Connection>> GetAsync(Project project, string? connectionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        return await LoadAsync(project, connectionId, cancellationToken).ConfigureAwait(false) is { } connection ? connection : HubError.NotFound("connection");
    }

    /// <summary>
    /// The connection for a call that uses it (the proxy, the token route): from this instance's <see cref="ConnectionCache"/>
    /// when it holds a live entry, else read and cached. Changes on this instance are seen at once; changes made on another
    /// instance within <see cref="ConnectionCacheOptions.CacheDuration"/>. Routes that show or change a connection use
    /// <see cref="GetAsync"/>, which always reads.
    /// </summary>
    public async Task<Result<Connection>> GetForUseAsync(Project project, string? connectionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (cache is not { Enabled: true } || connectionId is null)
        {
            return await GetAsync(project, connectionId, cancellationToken).ConfigureAwait(false);
        }

        if (cache.TryGetConnection(project.OrganizationId, project.Id, connectionId, out var cached))
        {
            return cached;
        }

        var epoch = cache.Epoch;
        if (await LoadAsync(project, connectionId, cancellationToken).ConfigureAwait(false) is not { } connection)
        {
            return HubError.NotFound("connection");
        }

        cache.SetConnection(connection, epoch);
        return connection;
    }

    /// <summary>A page of the project's connections, in id order, optionally only those of one end user.</summary>
    public async Task<Result<PagedList<Connection>>> ListAsync(Project project, ConnectionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(query);
        if (query.EndUserId is not null && !ConnectionRules.IsValidEndUserId(query.EndUserId))
        {
            return HubError.Invalid(ConnectionErrors.InvalidEndUser, $"end_user_id must be 1 to {ConnectionRules.MaxEndUserIdLength} printable characters.", "end_user_id");
        }

        return await store.ListAsync(project.OrganizationId, project.Id, query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Changes the configuration: <paramref name="patch"/> receives the current configuration as an input and returns the
    /// new one (or a refusal), which is then checked whole, like a create. Re-applied to a fresh read when another edit
    /// won the race. The type cannot change. Turning <c>enabled</c> off or on moves the status (disabled, or back to
    /// active or pending) through <see cref="ConnectionStateChanges"/>.
    /// </summary>
    public async Task<Result<Connection>> PatchAsync(
        Project project, string? connectionId, Func<ConnectionInput, Result<ConnectionInput>> patch, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(patch);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await LoadAsync(project, connectionId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return HubError.NotFound("connection");
            }

            var input = patch(ConnectionInput.From(current));
            if (!input.IsSuccess)
            {
                return input.Error;
            }

            if (!ConnectionTypes.TryParse(input.Value.Type, out var type) || type != current.Type)
            {
                return HubError.Invalid(ConnectionErrors.TypeImmutable, "A connection's type cannot change: create a new connection instead.", "type");
            }

            var applied = ConnectionRules.Apply(input.Value, current with { UpdatedAt = time.GetUtcNow() }, Settings);
            if (!applied.IsSuccess)
            {
                return applied.Error;
            }

            if (await CheckReferencesAsync(applied.Value, cancellationToken).ConfigureAwait(false) is { } error)
            {
                return error;
            }

            switch (await WrittenAsync(applied.Value, store.TryUpdateAsync(applied.Value, cancellationToken)).ConfigureAwait(false))
            {
                case WriteOutcome.Written:
                    if (applied.Value.Enabled != current.Enabled)
                    {
                        var moved = await SetStatusForEnabledAsync(applied.Value, actor, cancellationToken).ConfigureAwait(false);
                        if (!moved.IsSuccess && moved.Error.Kind == ErrorKind.NotFound)
                        {
                            return moved.Error;
                        }
                    }

                    return await LoadAsync(project, connectionId, cancellationToken).ConfigureAwait(false) is { } written ? written : HubError.NotFound("connection");
                case WriteOutcome.NotFound:
                    return HubError.NotFound("connection");
                default:
                    // Either the configuration changed since it was read (apply the patch again to the new one), or
                    // the new name is taken: the configuration row is then unchanged.
                    var reread = await LoadAsync(project, connectionId, cancellationToken).ConfigureAwait(false);
                    if (reread is not null && string.Equals(reread.ETag, current.ETag, StringComparison.Ordinal))
                    {
                        return NameTaken(applied.Value.Name);
                    }

                    continue;
            }
        }

        return HubError.Conflict(ConnectionErrors.ConnectionContention, "The connection is being changed by many callers at once; retry.");
    }

    /// <summary>Turns the connection off (status <c>disabled</c>) or on again; the same as a PATCH of <c>enabled</c>.</summary>
    public Task<Result<Connection>> SetEnabledAsync(Project project, string? connectionId, bool enabled, string actor, CancellationToken cancellationToken = default) =>
        PatchAsync(project, connectionId, input => input with { Enabled = enabled }, actor, cancellationToken);

    /// <summary>
    /// Deletes the connection's configuration and state. First its tokens are revoked at the provider and removed from
    /// the vault (<see cref="IConnectionTokenRevoker"/>: nothing to do for static types, whose secrets are the user's
    /// own vault secrets and stay), and the result says how that went.
    /// </summary>
    public async Task<Result<ConnectionDeletion>> DeleteAsync(Project project, string? connectionId, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        var revocation = TokenRevocation.NotApplicable;
        var revoked = false;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await LoadAsync(project, connectionId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return HubError.NotFound("connection");
            }

            if (!revoked)
            {
                // The seam of the token lifecycle: revocation before the configuration that names the tokens goes.
                revocation = await revoker.RevokeAsync(current, cancellationToken).ConfigureAwait(false);
                revoked = true;
            }

            switch (await WrittenAsync(current, store.TryDeleteAsync(current, cancellationToken)).ConfigureAwait(false))
            {
                case WriteOutcome.Written:
                    var data = Data(current);
                    data["deleted_by"] = actor;
                    await events.AppendAsync(project.OrganizationId, project.Id, HubEventTypes.ConnectionDeleted, Subject(current.Id), data, cancellationToken)
                        .ConfigureAwait(false);
                    return new ConnectionDeletion(current, revocation);
                case WriteOutcome.NotFound:
                    return HubError.NotFound("connection");
                default:
                    continue;
            }
        }

        return HubError.Conflict(ConnectionErrors.ConnectionContention, "The connection is being changed by many callers at once; retry.");
    }

    private async Task<Result<ConnectionState>> SetStatusForEnabledAsync(Connection connection, string actor, CancellationToken cancellationToken)
    {
        var state = connection.State;
        ConnectionStatus to;
        if (!connection.Enabled)
        {
            to = ConnectionStatus.Disabled;
        }
        else if (state.Status != ConnectionStatus.Disabled)
        {
            return state;
        }
        else
        {
            // Back to active when it has (or had) a credential; an OAuth connection never connected is pending again.
            var hadCredential = !ConnectionTypes.IsOAuth(connection.Type) || state.AuthorizedBy is not null || state.LastRefreshedAt is not null || state.ExpiresAt is not null;
            to = hadCredential ? ConnectionStatus.Active : ConnectionStatus.Pending;
        }

        var reason = connection.Enabled ? null : "disabled by " + actor;
        return await states.ChangeStatusAsync(connection.OrganizationId, connection.ProjectId, connection.Id, to, reason, new ChangeActor("ApiKey", actor),
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The provider and every vault secret the configuration names exist in its project (deleted secrets do not).</summary>
    private async Task<HubError?> CheckReferencesAsync(Connection connection, CancellationToken cancellationToken)
    {
        if (connection.ProviderId is { } providerId
            && (providers is null || await providers.GetAsync(connection.OrganizationId, connection.ProjectId, providerId, cancellationToken).ConfigureAwait(false) is null))
        {
            return HubError.Invalid(ConnectionErrors.UnknownProvider, "provider_id names no provider of this project.", "provider_id");
        }

        foreach (var (role, secretName) in connection.SecretRefs)
        {
            var secret = await vault.GetAsync(new SecretLocation(connection.OrganizationId, connection.ProjectId, secretName), cancellationToken).ConfigureAwait(false);
            if (!secret.IsSuccess)
            {
                return HubError.Invalid(ConnectionErrors.UnknownSecret, $"secret_refs.{role} names no secret of this project.", "secret_refs." + role);
            }
        }

        return null;
    }

    /// <summary>Awaits a configuration write, then forgets this instance's cached copy (whatever the outcome: a failed write may have landed).</summary>
    private async Task<WriteOutcome> WrittenAsync(Connection connection, Task<WriteOutcome> write)
    {
        try
        {
            return await write.ConfigureAwait(false);
        }
        finally
        {
            cache?.Invalidate(connection.OrganizationId, connection.ProjectId, connection.Id);
        }
    }

    private async Task<Connection?> LoadAsync(Project project, string? connectionId, CancellationToken cancellationToken) =>
        Ids.IsValid(IdPrefix, connectionId) && Ids.IsValid("org", project.OrganizationId) && Ids.IsValid("prj", project.Id)
            ? await store.GetAsync(project.OrganizationId, project.Id, connectionId!, cancellationToken).ConfigureAwait(false)
            : null;

    private static HubError NameTaken(string name) =>
        HubError.Conflict(ConnectionErrors.ConnectionExists, $"The project already has a connection named '{name}'.");

    private static string Subject(string connectionId) => "connection/" + connectionId;

    private static Dictionary<string, string> Data(Connection connection)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["connection_id"] = connection.Id,
            ["name"] = connection.Name,
            ["type"] = ConnectionTypes.NameOf(connection.Type),
            ["status"] = ConnectionStatuses.NameOf(connection.State.Status),
        };
        if (connection.EndUser is { } endUser)
        {
            data["end_user_id"] = endUser.Id;
        }

        return data;
    }
}
