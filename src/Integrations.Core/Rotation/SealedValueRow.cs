using Integrations.Core.Crypto;

namespace Integrations.Core.Rotation;

/// <summary>A stored value sealed under some KEK, wherever it lives (secret versions now; OAuth tokens later).</summary>
/// <param name="Address">Where the store keeps it; opaque to Core.</param>
public sealed record SealedValueRow(string Address, SealContext Context, SealedSecret Value, string ETag);
