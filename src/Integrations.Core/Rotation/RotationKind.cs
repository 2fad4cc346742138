namespace Integrations.Core.Rotation;

public enum RotationKind
{
    /// <summary>New KEK → active → every data key re-wrapped → verified → old KEKs retired.</summary>
    DataKeys,

    /// <summary>Re-wrap the KEK records with the current root key (new Key Vault key version or local root key).</summary>
    RootKey,
}
