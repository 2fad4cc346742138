using System.Buffers.Binary;
using System.Text;

namespace Integrations.Core.Crypto;

/// <summary>
/// What a wrapped hub key is for and which record holds it. The root wrapper authenticates it with the key, so
/// wrapped bytes copied into another record (the audit key's into a KEK record, KEK A's into KEK B's) do not unwrap.
/// </summary>
/// <param name="Purpose">The key's purpose.</param>
/// <param name="RecordId">The id of the key record (its RowKey).</param>
public readonly record struct KeyBinding(KeyPurpose Purpose, string RecordId)
{
    /// <summary>The longest record id a binding carries (it must fit in an RSA-OAEP-256 block beside the key).</summary>
    public const int MaxRecordIdLength = 64;

    private static readonly byte[] Label = "ih/root/bind/v2"u8.ToArray();

    /// <summary>The binding of <paramref name="record"/>.</summary>
    public static KeyBinding Of(KeyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new KeyBinding(record.Purpose, record.Id);
    }

    /// <summary>The purpose's stable byte: stored inside Key Vault wraps, so never renumber.</summary>
    public byte PurposeCode => Purpose switch
    {
        KeyPurpose.DataKeyEncryption => 1,
        KeyPurpose.AuditHmac => 2,
        KeyPurpose.AuthorityMac => 3,
        KeyPurpose.AccessTokenSigning => 4,
        _ => throw new InvalidOperationException($"Key purpose {Purpose} has no binding code."),
    };

    /// <summary>Label, purpose code and the length-prefixed record id: the local root wrap's associated data.</summary>
    internal byte[] ToAssociatedData()
    {
        var id = RecordIdBytes();
        var buffer = new byte[Label.Length + 1 + 2 + id.Length];
        Label.CopyTo(buffer, 0);
        buffer[Label.Length] = PurposeCode;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(Label.Length + 1), (ushort)id.Length);
        id.CopyTo(buffer, Label.Length + 3);
        return buffer;
    }

    /// <summary>The record id's ASCII bytes; throws when it is empty, too long or not ASCII.</summary>
    public byte[] RecordIdBytes()
    {
        if (string.IsNullOrEmpty(RecordId) || RecordId.Length > MaxRecordIdLength || !Ascii.IsValid(RecordId))
        {
            throw new ArgumentException($"A key record id is 1 to {MaxRecordIdLength} ASCII characters.", nameof(RecordId));
        }

        return Encoding.ASCII.GetBytes(RecordId);
    }
}
