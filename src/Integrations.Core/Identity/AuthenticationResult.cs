namespace Integrations.Core.Identity;

/// <summary>The caller, or why there is none.</summary>
public readonly record struct AuthenticationResult(Caller? Caller, AuthenticationFailure? Failure);
