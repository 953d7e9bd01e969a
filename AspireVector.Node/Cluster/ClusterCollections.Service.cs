using AspireVector.Node.Collections;
using AspireVector.Node.P2P;
using AspireVector.Node.P2P.Grpc;
using AspireVector.Node.P2P.Protos;
using AspireVector.Node.Storage;
using Google.Protobuf;

namespace AspireVector.Node.Cluster;

/// <summary>The replica side of the P2P <c>Shards</c> service: updates and reads sent by coordinating peers.</summary>
public sealed partial class ClusterCollections : IP2PServiceMapper
{
    private static readonly TimeSpan CatchUpWait = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public void Map(GrpcServiceRegistry registry)
    {
        registry.MapUnary<ShardUpdateRequest, ShardUpdateReply>(P2PMethods.ShardsUpdate, async (request, context) =>
        {
            var (collection, shard) = await LocalReplicaAsync(request.Collection, request.ShardId, context.CancellationToken).ConfigureAwait(false);
            if (!ShardOperationCodec.TryDecode(request.Operation.Span, out _, out var operation) || operation is null)
                throw new GrpcException(GrpcStatusCode.InvalidArgument, "not a shard operation");
            if (request.CoordinatorIndex != 0
                && _node.Metadata.Current.Collections.TryGetValue(request.Collection, out var placed)
                && placed.ShardsChangedAt.TryGetValue(request.ShardId, out var changedAt) && changedAt > request.CoordinatorIndex)
            {
                throw new GrpcException(GrpcStatusCode.FailedPrecondition,
                    $"Stale placement: the replicas of shard {request.ShardId} changed at index {changedAt}, after the coordinator's {request.CoordinatorIndex}");
            }

            var filter = request.FilterJson.Length == 0 ? null : Translate(() => QueryFilter.Parse(request.FilterJson));
            var result = await TranslateAsync(() => request.Coordinate
                ? collection.CoordinateWriteAsync(request.ShardId, operation, filter, request.Wait, context.CancellationToken)
                : collection.UpdateLocalAsync(shard, operation, filter, request.Wait, context.CancellationToken)).ConfigureAwait(false);
            return new ShardUpdateReply { OperationId = result.OperationId };
        });
        registry.MapUnary<P2P.Protos.ShardReadRequest, ShardReadReply>(P2PMethods.ShardsRead, async (request, context) =>
        {
            var (collection, shard) = await LocalReplicaAsync(request.Collection, request.ShardId, context.CancellationToken).ConfigureAwait(false);
            var read = Translate(() => ShardReadCodec.DecodeRequest(request.RequestJson.Span));
            var result = Translate(() => collection.ReadLocal(shard, read));
            return new ShardReadReply { ResultJson = UnsafeByteOperations.UnsafeWrap(ShardReadCodec.Encode(result)) };
        });
        registry.MapUnary<ShardTransferRequest, Empty>(P2PMethods.ShardsStartTransfer, async (request, context) =>
        {
            await PrepareReceiveAsync(request, context.CancellationToken).ConfigureAwait(false);
            return new Empty();
        });
        registry.MapUnary<ShardSnapshotChunk, Empty>(P2PMethods.ShardsSnapshotChunk, async (request, context) =>
        {
            await ReceiveSnapshotChunkAsync(request, context.CancellationToken).ConfigureAwait(false);
            return new Empty();
        });
    }

    /// <summary>
    /// The local collection and replica a peer addressed. Waits briefly when the metadata that placed it here has
    /// not been applied yet (the coordinator may be a commit ahead of this peer).
    /// </summary>
    private async Task<(Collection, LocalShard)> LocalReplicaAsync(string name, uint shardId, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + CatchUpWait;
        while (true)
        {
            if (_toc is not null && _toc.Exists(name) && _toc.Get(name).LocalShard(shardId) is { } shard) return (_toc.Get(name), shard);
            if (_toc is not null && _toc.Exists(name) && _toc.Get(name).ShardFailure(shardId) is { } failure)
                throw new GrpcException(GrpcStatusCode.Internal, failure); // damaged on disk: the coordinator marks it dead

            // Placed elsewhere by what this peer already applied (moved away, dropped): say so now, the caller re-routes.
            bool knownElsewhere = _node.Metadata.Current.Collections.TryGetValue(name, out var c)
                && c.Shards.TryGetValue(shardId, out var replicas) && !replicas.ContainsKey(_node.PeerId);
            if (knownElsewhere || DateTime.UtcNow >= deadline)
                throw new GrpcException(GrpcStatusCode.NotFound, $"Not found: shard {shardId} of collection `{name}` has no replica on peer {_node.PeerId}");
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    private static T Translate<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (CollectionException e)
        {
            throw ToGrpc(e);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new GrpcException(GrpcStatusCode.InvalidArgument, "Bad request: " + e.Message);
        }
    }

    private static async Task<T> TranslateAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (CollectionException e)
        {
            throw ToGrpc(e);
        }
        catch (ArgumentException e)
        {
            throw new GrpcException(GrpcStatusCode.InvalidArgument, "Bad request: " + e.Message);
        }
    }

    private static GrpcException ToGrpc(CollectionException e) => new(e.StatusCode switch
    {
        404 => GrpcStatusCode.NotFound,
        < 500 => GrpcStatusCode.InvalidArgument,
        _ => GrpcStatusCode.Unavailable,
    }, e.Message);
}
