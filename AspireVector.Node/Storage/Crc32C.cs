using System.Buffers.Binary;
using System.Numerics;

namespace AspireVector.Node.Storage;

/// <summary>
/// CRC-32C (Castagnoli) over whole segment files. <see cref="BitOperations.Crc32C(uint, ulong)"/> uses the CPU's
/// CRC instruction where there is one (SSE4.2, ARMv8), so checking a segment of tens of megabytes at start-up costs
/// milliseconds; the WAL keeps its own per-record <see cref="Crc32"/>.
/// </summary>
internal static class Crc32C
{
    /// <summary>Continues <paramref name="crc"/> (start with 0) over <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        crc = ~crc;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (byte b in data) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }

    /// <summary>Checksum and length of a whole file.</summary>
    public static (uint Crc, long Length) OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            uint crc = 0;
            long length = 0;
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                crc = Append(crc, buffer.AsSpan(0, n));
                length += n;
            }

            return (crc, length);
        }
        finally { System.Buffers.ArrayPool<byte>.Shared.Return(buffer); }
    }
}
