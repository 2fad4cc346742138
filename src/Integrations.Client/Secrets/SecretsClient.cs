using System.Globalization;
using System.Text;

namespace Integrations.Client.Secrets;

/// <summary>
/// A project's secrets (<c>/v1/projects/{projectId}/secrets</c>): metadata by name or id, versions, reveal, search, and the
/// soft delete with its restore. Every call needs the matching scope on the API key (<c>secrets:read</c>, <c>secrets:write</c>,
/// <c>secrets:reveal</c>); a reveal is audited at the hub.
/// </summary>
public sealed class SecretsClient
{
    private const string Collection = "v1/projects/{0}/secrets";
    private const string Item = Collection + "/{1}";
    private const string ById = Collection + "/by-id/{1}";

    private readonly HubTransport _transport;

    internal SecretsClient(HubTransport transport) => _transport = transport;

    /// <summary>Creates a secret (version 1).</summary>
    /// <exception cref="HubConflictException">A secret of that name exists (or is deleted and restorable).</exception>
    public Task<Secret> CreateAsync(string projectId, NewSecret secret, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectId);
        ArgumentNullException.ThrowIfNull(secret);
        var body = new CreateBody(secret.Name, secret.Value, secret.Description, secret.Tags, secret.AuthType, secret.Metadata, secret.ExpiresAt, secret.RotateEvery);
        return _transport.SendAsync<Secret>(HttpMethod.Post, HubTransport.Path(Collection, projectId), body, cancellationToken);
    }

    /// <summary>A secret's metadata by name.</summary>
    /// <exception cref="HubNotFoundException">No such secret.</exception>
    public Task<Secret> GetAsync(string projectId, string name, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<Secret>(HttpMethod.Get, HubTransport.Path(Item, Required(projectId), Required(name)), null, cancellationToken);

    /// <summary>A secret's metadata by id (<c>sec_…</c>), which stays the same across renames.</summary>
    public Task<Secret> GetByIdAsync(string projectId, string secretId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<Secret>(HttpMethod.Get, HubTransport.Path(ById, Required(projectId), Required(secretId)), null, cancellationToken);

    /// <summary>
    /// Writes a new version. <paramref name="ifMatchVersion"/>: the version the change is based on; the hub refuses with 412
    /// (<see cref="HubPreconditionFailedException"/>) when the secret has moved on since.
    /// </summary>
    public Task<Secret> UpdateAsync(string projectId, string name, string value, int? ifMatchVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        return _transport.SendAsync<Secret>(HttpMethod.Put, HubTransport.Path(Item, Required(projectId), Required(name)), new UpdateBody(value), cancellationToken,
            request =>
            {
                if (ifMatchVersion is { } version)
                {
                    request.Headers.TryAddWithoutValidation("If-Match", "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"");
                }
            });
    }

    /// <summary>The latest value of a secret, or <paramref name="version"/>'s. Audited at the hub (needs <c>secrets:reveal</c>).</summary>
    public async Task<string> RevealAsync(string projectId, string name, int? version = null, CancellationToken cancellationToken = default) =>
        (await RevealSecretAsync(projectId, name, version, cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>As <see cref="RevealAsync"/>, with the version the value is.</summary>
    public Task<RevealedSecret> RevealSecretAsync(string projectId, string name, int? version = null, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<RevealedSecret>(HttpMethod.Post, HubTransport.Path(Item + "/reveal", Required(projectId), Required(name)), new RevealBody(version), cancellationToken);

    /// <summary>The latest value (or <paramref name="version"/>'s) of the secret with this id.</summary>
    public async Task<string> RevealByIdAsync(string projectId, string secretId, int? version = null, CancellationToken cancellationToken = default) =>
        (await _transport.SendAsync<RevealedSecret>(HttpMethod.Post, HubTransport.Path(ById + "/reveal", Required(projectId), Required(secretId)), new RevealBody(version),
            cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>A secret's versions, newest first.</summary>
    public Task<Page<SecretVersion>> ListVersionsAsync(string projectId, string name, int page = 1, int perPage = 20, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<Page<SecretVersion>>(HttpMethod.Get,
            HubTransport.Path(Item + "/versions", Required(projectId), Required(name)) + PageQuery(page, perPage), null, cancellationToken);

    /// <summary>Lists or searches secrets (a name prefix, a tag; deleted ones with <see cref="SecretQuery.Deleted"/>).</summary>
    public Task<Page<Secret>> ListAsync(string projectId, SecretQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new SecretQuery();
        var path = new StringBuilder(HubTransport.Path(Collection, Required(projectId))).Append(PageQuery(query.Page, query.PerPage));
        Append(path, "search", query.Search);
        Append(path, "tag", query.Tag);
        Append(path, "auth_type", query.AuthType);
        if (query.Deleted)
        {
            path.Append("&deleted=true");
        }

        return _transport.SendAsync<Page<Secret>>(HttpMethod.Get, path.ToString(), null, cancellationToken);
    }

    /// <summary>Soft-deletes a secret: restorable until its <see cref="Secret.PurgeAfter"/>.</summary>
    public Task DeleteAsync(string projectId, string name, CancellationToken cancellationToken = default) =>
        _transport.SendAsync(HttpMethod.Delete, HubTransport.Path(Item, Required(projectId), Required(name)), null, cancellationToken);

    /// <summary>Restores a soft-deleted secret.</summary>
    public Task<Secret> RestoreAsync(string projectId, string name, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<Secret>(HttpMethod.Post, HubTransport.Path(Item + "/restore", Required(projectId), Required(name)), null, cancellationToken);

    private static string Required(string value, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? parameter = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, parameter);
        return value;
    }

    private static string PageQuery(int page, int perPage) =>
        string.Create(CultureInfo.InvariantCulture, $"?page={page}&per_page={perPage}");

    private static void Append(StringBuilder path, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            path.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
    }

    private sealed record CreateBody(
        string Name, string Value, string? Description, IReadOnlyList<string>? Tags, string? AuthType, IReadOnlyDictionary<string, string>? Metadata,
        DateTimeOffset? ExpiresAt, string? RotateEvery)
    {
        public override string ToString() => $"CreateBody {{ Name = {Name} }}";
    }

    private sealed record UpdateBody(string Value)
    {
        public override string ToString() => "UpdateBody";
    }

    private sealed record RevealBody(int? Version);
}
