using System.Collections.Concurrent;
using AspireVector.Node.Collections;
using AspireVector.Node.P2P.Grpc;
using AspireVector.Node.P2P.Protos;
using AspireVector.Node.Snapshots;
using AspireVector.Node.Storage;
using Google.Protobuf;

namespace AspireVector.Node.Cluster;

/// <summary>
/// Shard transfers by <c>snapshot</c>: the sender captures a shard snapshot and, at that very moment (under the shard's
/// update lock), starts queueing the shard's live updates; it pushes the snapshot to the receiver in chunks, the
/// receiver validates and installs it into its partial replica; then the sender sends the queued updates in order and
/// forwards later ones directly, as <c>stream_records</c> does, until the transfer completes.
/// </summary>
/// <remarks>
/// Nothing is lost or applied twice: the snapshot holds exactly the operations before the capture, the queue exactly
/// those after it, and the receiver gets no other writes while it is partial.
/// </remarks>
public sealed partial class ClusterCollections
{
    /// <summary>The <c>snapshot</c> transfer method.</summary>
    public const string SnapshotTransferMethod = "snapshot";

    /// <summary>
    /// Method of transfers started without one (requests, self-healing): <c>storage.shard_transfer_method</c> when it is
    /// <c>snapshot</c>, else <c>stream_records</c> (<c>wal_delta</c> is not implemented and falls back to it).
    /// </summary>
    public string DefaultTransferMethod => _options.Storage.ShardTransferMethod == SnapshotTransferMethod ? SnapshotTransferMethod : "stream_records";

    private const int SnapshotChunkBytes = 1 << 20;
    private static readonly P2P.Grpc.P2PCallOptions SnapshotCallOptions = new() { Timeout = TimeSpan.FromMinutes(10) };
    private readonly ConcurrentDictionary<(string, uint), IncomingSnapshot> _incomingSnapshots = new();

    /// <summary>The sender's side; <paramref name="forward"/> is <paramref name="forwarder"/>'s, set on the shard at the capture.</summary>
    private async Task SendSnapshotAsync(string name, ShardTransferInfo transfer, LocalShard shard, QueuedForwarder forwarder,
        Func<ShardOperation, Task> forward, (string, uint, ulong) key, CancellationToken ct)
    {
        string staging = Path.Combine(SnapshotStore.TempRootOf(_options), $"transfer-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            string file = Path.Combine(staging, "shard" + SnapshotStore.Extension);
            await using (var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await SnapshotArchive.WriteShardAsync(shard, Path.Combine(staging, "capture"), _node.PeerId, stream, forward, ct).ConfigureAwait(false);
            }

            string checksum = await SnapshotStore.ChecksumAsync(file, ct).ConfigureAwait(false);
            string uri = _node.Transport.UriOf(transfer.To) ?? throw new InvalidOperationException($"peer {transfer.To} has no known address");
            string started = DateTime.UtcNow.ToString("O");
            await using (var read = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
            {
                long size = read.Length, offset = 0;
                var buffer = new byte[SnapshotChunkBytes];
                while (true)
                {
                    if (!StillTransferring(name, transfer)) throw new OperationCanceledException("the transfer was aborted");
                    int n = await read.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
                    bool last = offset + n >= size;
                    var chunk = new ShardSnapshotChunk
                    {
                        Collection = name, ShardId = transfer.ShardId, FromPeer = transfer.From, Offset = (ulong)offset,
                        Data = ByteString.CopyFrom(buffer, 0, n), Checksum = last ? checksum : "",
                    };
                    await _client.Channels.CallAsync(uri, P2P.P2PMethods.ShardsSnapshotChunk, chunk, Empty.Parser, SnapshotCallOptions, ct).ConfigureAwait(false);
                    offset += n;
                    _transferProgress[key] = $"Transferring snapshot ({offset}/{size} bytes, {forwarder.Queued} updates queued), started {started}";
                    if (last) break;
                }
            }

            // The receiver holds the snapshot: send what was queued since the capture, mostly while writes go on, the
            // rest with writes paused, then forward directly.
            _logger.LogInformation("Snapshot of shard {Shard} of {Collection} installed on peer {To}; sending {Queued} updates queued since the capture",
                transfer.ShardId, name, transfer.To, forwarder.Queued);
            // Each drain round sends what was queued when it started; rounds shrink to the updates written meanwhile, and
            // the pause covers only the last one or two (a long pause would time out coordinators' writes to this replica).
            for (int round = 0; round < 100 && forwarder.Queued > 2; round++)
            {
                if (!StillTransferring(name, transfer)) throw new OperationCanceledException("the transfer was aborted");
                await forwarder.DrainAsync().ConfigureAwait(false);
            }

            await shard.WithUpdatesPausedAsync(async _ =>
            {
                await forwarder.DrainAsync().ConfigureAwait(false);
                forwarder.ForwardDirectly();
                return 0;
            }, ct).ConfigureAwait(false);
            _transferProgress[key] = $"Snapshot installed ({shard.Segment.PointCount} points), forwarding updates, started {started}";
        }
        finally
        {
            try { Directory.Delete(staging, recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>The receiver's side: appends a chunk; the last one is verified and installed into the partial replica.</summary>
    private async Task ReceiveSnapshotChunkAsync(ShardSnapshotChunk request, CancellationToken cancellationToken)
    {
        var key = (request.Collection, request.ShardId);
        if (!IsPartialHere(request.Collection, request.ShardId))
            throw new GrpcException(GrpcStatusCode.FailedPrecondition, $"peer {_node.PeerId} has no partial replica of shard {request.ShardId} of `{request.Collection}` to receive into");
        IncomingSnapshot incoming;
        if (request.Offset == 0)
        {
            if (_incomingSnapshots.TryRemove(key, out var stale)) stale.Discard();
            incoming = new IncomingSnapshot(Path.Combine(SnapshotStore.TempRootOf(_options), $"incoming-{Guid.NewGuid():N}"), request.FromPeer);
            _incomingSnapshots[key] = incoming;
        }
        else if (!_incomingSnapshots.TryGetValue(key, out incoming!) || incoming.From != request.FromPeer || incoming.Length != (long)request.Offset)
        {
            throw new GrpcException(GrpcStatusCode.FailedPrecondition, $"snapshot chunk at offset {request.Offset} does not follow what was received");
        }

        await incoming.AppendAsync(request.Data.Memory, cancellationToken).ConfigureAwait(false);
        if (request.Checksum.Length == 0) return;

        _incomingSnapshots.TryRemove(key, out _);
        try
        {
            await SnapshotSource.VerifyChecksumAsync(incoming.File, request.Checksum, cancellationToken).ConfigureAwait(false);
            string staging = Path.Combine(incoming.Directory, "shard");
            Directory.CreateDirectory(staging);
            await SnapshotArchive.ExtractAsync(incoming.File, staging, SnapshotArchive.ShardKind, cancellationToken).ConfigureAwait(false);
            var collection = _toc?.Get(request.Collection) ?? throw new GrpcException(GrpcStatusCode.Unavailable, "storage is not open yet");
            LocalShard.ValidateCaptured(staging, collection.Config.ToSegmentConfig());
            File.Delete(Path.Combine(staging, SnapshotArchive.ManifestFile));
            lock (_reconcileLock)
            {
                if (!IsPartialHere(request.Collection, request.ShardId))
                    throw new GrpcException(GrpcStatusCode.FailedPrecondition, $"the replica of shard {request.ShardId} of `{request.Collection}` is no longer partial here");
                collection.ReplaceLocalShard(request.ShardId, staging);
            }

            _logger.LogInformation("Installed a snapshot of shard {Shard} of {Collection} from peer {From}", request.ShardId, request.Collection, request.FromPeer);
        }
        catch (CollectionException e)
        {
            throw new GrpcException(GrpcStatusCode.InvalidArgument, e.Message);
        }
        catch (InvalidDataException e)
        {
            throw new GrpcException(GrpcStatusCode.InvalidArgument, "invalid snapshot: " + e.Message);
        }
        finally
        {
            incoming.Discard();
        }
    }

    private bool IsPartialHere(string collection, uint shardId) =>
        _node.Metadata.Current.Collections.TryGetValue(collection, out var c)
        && c.Shards.TryGetValue(shardId, out var replicas)
        && replicas.TryGetValue(_node.PeerId, out var state) && state == ReplicaState.Partial;

    /// <summary>A shard snapshot being received: its scratch folder and the bytes so far.</summary>
    private sealed class IncomingSnapshot(string directory, ulong from)
    {
        public string Directory { get; } = directory;

        public ulong From { get; } = from;

        public string File => Path.Combine(Directory, "shard" + SnapshotStore.Extension);

        public long Length { get; private set; }

        public async Task AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            System.IO.Directory.CreateDirectory(Directory);
            await using var stream = new FileStream(File, FileMode.Append, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            Length += data.Length;
        }

        public void Discard()
        {
            try { if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true); }
            catch (IOException) { }
        }
    }
}
