using System.Globalization;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Collections;

public sealed partial class Collection
{
    /// <summary>
    /// Replaces the local replica of <paramref name="shardId"/> by the shard folder <paramref name="staged"/>
    /// (segments extracted from a snapshot and validated; moved, so it must be on the storage's file system) and opens it.
    /// </summary>
    public LocalShard ReplaceLocalShard(uint shardId, string staged)
    {
        lock (_shardsLock)
        {
            var old = _shards[shardId];
            _shards[shardId] = null;
            string dir = Path.Combine(Directory, shardId.ToString(CultureInfo.InvariantCulture));
            old?.Dispose();
            if (System.IO.Directory.Exists(dir)) System.IO.Directory.Delete(dir, recursive: true);
            System.IO.Directory.Move(staged, dir);
            var shard = OpenShard(shardId);
            Volatile.Write(ref _shards[shardId], shard);
            return shard;
        }
    }
}
