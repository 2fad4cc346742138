using System.Buffers.Binary;
using System.Text;

namespace Integrations.Core.Crypto;

/// <summary>
/// Where a sealed value lives. It is authenticated as associated data, so a ciphertext copied to another
/// tenant, project, secret or version fails to open.
/// </summary>
/// <param name="Tenant">The organization id.</param>
/// <param name="Project">The project id.</param>
/// <param name="ObjectId">The stable id of the object (a secret's id, not its name: a re-created name is another secret).</param>
/// <param name="Version">The version number of the value.</param>
public readonly record struct SealContext(string Tenant, string Project, string ObjectId, int Version)
{
    private static readonly byte[] Label = "ih/sealed/v1"u8.ToArray();

    /// <summary>Length-prefixed fields, so no two contexts share an encoding (no "a|bc" = "ab|c").</summary>
    internal byte[] ToAssociatedData()
    {
        var length = Label.Length + Field(Tenant) + Field(Project) + Field(ObjectId) + 4;
        var buffer = new byte[length];
        var span = buffer.AsSpan();
        Label.CopyTo(span);
        var offset = Label.Length;
        offset += Write(span[offset..], Tenant);
        offset += Write(span[offset..], Project);
        offset += Write(span[offset..], ObjectId);
        BinaryPrimitives.WriteInt32BigEndian(span[offset..], Version);
        return buffer;

        static int Field(string value) => 2 + Encoding.UTF8.GetByteCount(value);

        static int Write(Span<byte> destination, string value)
        {
            var count = Encoding.UTF8.GetBytes(value, destination[2..]);
            BinaryPrimitives.WriteUInt16BigEndian(destination, checked((ushort)count));
            return 2 + count;
        }
    }
}
