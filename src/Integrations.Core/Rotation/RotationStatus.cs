namespace Integrations.Core.Rotation;

public enum RotationStatus
{
    Pending,
    Rewrapping,
    Verifying,
    Completed,
}
