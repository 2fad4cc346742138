namespace Integrations.Api.Identity;

/// <summary><c>POST /v1/auth/password-reset</c>.</summary>
public sealed record PasswordResetRequest(string? Email);

/// <summary><c>POST /v1/auth/password-reset/confirm</c>. Holds a token and a password: <see cref="ToString"/> shows neither.</summary>
public sealed record PasswordResetConfirmRequest(string? Token, string? NewPassword)
{
    public override string ToString() => "PasswordResetConfirmRequest { }";
}

/// <summary>The answer of <c>GET /v1/auth/verify</c> when no <c>Auth:CallbackRedirectUrl</c> is set.</summary>
public sealed record EmailVerifiedResponse(bool Verified, string UserId);
