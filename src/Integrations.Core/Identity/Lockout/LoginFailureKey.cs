namespace Integrations.Core.Identity.Lockout;

/// <summary>
/// Where a list of failures is kept. <see cref="Account"/> and <see cref="Source"/> are keyed hashes (never the email or
/// the address itself), lower-case hex; a part the scope does not use is empty.
/// </summary>
/// <param name="Scope">What is counted.</param>
/// <param name="Account">The account's hash (scopes <see cref="LoginFailureScope.AccountSource"/>, <see cref="LoginFailureScope.Account"/> and <see cref="LoginFailureScope.AccountReport"/>).</param>
/// <param name="Source">The source's hash (scopes <see cref="LoginFailureScope.AccountSource"/> and <see cref="LoginFailureScope.Source"/>).</param>
public readonly record struct LoginFailureKey(LoginFailureScope Scope, string Account, string Source)
{
    public static LoginFailureKey ForAccountSource(string account, string source) => new(LoginFailureScope.AccountSource, account, source);

    public static LoginFailureKey ForAccount(string account) => new(LoginFailureScope.Account, account, string.Empty);

    public static LoginFailureKey ForSource(string source) => new(LoginFailureScope.Source, string.Empty, source);

    public static LoginFailureKey ForAccountReport(string account) => new(LoginFailureScope.AccountReport, account, string.Empty);
}
