using System.Globalization;
using System.Security.Cryptography;

namespace AspireVector.Node.Cluster;

/// <summary>
/// This peer's id, generated once (random, below 2^53 so JavaScript clients can hold it) and kept in
/// <c>storage_path/raft/peer_id</c> so a restarted node rejoins as the same peer.
/// </summary>
public static class PeerIdentity
{
    /// <summary>Loads the id stored in <paramref name="raftDirectory"/>, creating and fsyncing a new one when absent.</summary>
    public static ulong LoadOrCreate(string raftDirectory)
    {
        Directory.CreateDirectory(raftDirectory);
        string path = Path.Combine(raftDirectory, "peer_id");
        if (File.Exists(path) && ulong.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var stored) && stored != 0)
            return stored;
        ulong id = 0;
        Span<byte> bytes = stackalloc byte[8];
        while (id == 0)
        {
            RandomNumberGenerator.Fill(bytes);
            id = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes) & ((1UL << 53) - 1);
        }
        string tmp = path + ".tmp";
        using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            f.Write(System.Text.Encoding.ASCII.GetBytes(id.ToString(CultureInfo.InvariantCulture)));
            f.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
        return id;
    }
}
