using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Api.Rest;
using AspireVector.Node.Api.Security;
using AspireVector.Node.Cluster;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using Q = Qdrant.Client.Grpc;

namespace AspireVector.Node.Api.Grpc;

/// <summary>
/// <c>qdrant.Collections</c>: Get, List, Create, Update, Delete, CollectionExists, ListAliases,
/// ListCollectionAliases, CollectionClusterInfo and the shard key methods (CreateShardKey, DeleteShardKey, ListShardKeys), each through the code REST's <see cref="CollectionsApi"/> uses (in cluster mode the
/// changes go through consensus via <see cref="ICollectionMetaOperations"/>).
/// </summary>
public static class CollectionsService
{
    private const string Service = "qdrant.Collections";

    /// <summary>Maps the collection methods.</summary>
    public static QdrantGrpcMethods MapCollectionsService(this QdrantGrpcMethods methods, IServiceProvider services)
    {
        var toc = services.GetRequiredService<TableOfContents>();
        var options = services.GetRequiredService<NodeOptions>();
        // Resolved at the first call, not while the host starts: the cluster services must not be built from here.
        var metaOperations = new Lazy<ICollectionMetaOperations>(services.GetRequiredService<ICollectionMetaOperations>);
        var clusterNode = new Lazy<ClusterNode?>(services.GetService<ClusterNode>);
        var clusterCollections = new Lazy<ClusterCollections?>(services.GetService<ClusterCollections>);
        var listing = new RestOperation(OperationKind.Read, null, ListsCollections: true);

        methods.Unary<Q.ListCollectionsRequest, Q.ListCollectionsResponse>(Service, "List", _ => listing, (_, _) =>
        {
            var response = new Q.ListCollectionsResponse();
            foreach (var name in toc.Names.ToArray()) response.Collections.Add(new Q.CollectionDescription { Name = name });
            return Task.FromResult(response);
        });
        methods.Unary<Q.GetCollectionInfoRequest, Q.GetCollectionInfoResponse>(Service, "Get", r => Read(r.CollectionName), async (r, ct) =>
        {
            var c = toc.Get(r.CollectionName);
            var info = await CollectionInfo.ReadAsync(c, clusterNode.Value, ct).ConfigureAwait(false);
            return new Q.GetCollectionInfoResponse { Result = ToGrpc(c, info) };
        });
        methods.Unary<Q.CollectionExistsRequest, Q.CollectionExistsResponse>(Service, "CollectionExists", r => Read(r.CollectionName), (r, _) =>
            Task.FromResult(new Q.CollectionExistsResponse { Result = new Q.CollectionExists { Exists = toc.Exists(r.CollectionName) } }));
        methods.Unary<Q.CreateCollection, Q.CollectionOperationResponse>(Service, "Create", r => Manage(r.CollectionName), async (r, ct) =>
        {
            using var body = Parse(GrpcCollectionConfig.CreateBody(r));
            await CollectionsApi.CreateAsync(r.CollectionName, body.RootElement, metaOperations.Value, options, ct).ConfigureAwait(false);
            return new Q.CollectionOperationResponse { Result = true };
        });
        methods.Unary<Q.UpdateCollection, Q.CollectionOperationResponse>(Service, "Update", r => Manage(r.CollectionName), async (r, ct) =>
        {
            string name = toc.Get(r.CollectionName).Name; // an alias names its collection
            using var body = Parse(GrpcCollectionConfig.UpdateBody(r));
            await CollectionsApi.UpdateAsync(name, body.RootElement, toc, metaOperations.Value, ct).ConfigureAwait(false);
            return new Q.CollectionOperationResponse { Result = true };
        });
        methods.Unary<Q.DeleteCollection, Q.CollectionOperationResponse>(Service, "Delete", r => Manage(r.CollectionName), async (r, ct) =>
            new Q.CollectionOperationResponse { Result = await metaOperations.Value.DeleteAsync(r.CollectionName, ct).ConfigureAwait(false) });
        methods.Unary<Q.ChangeAliases, Q.CollectionOperationResponse>(Service, "UpdateAliases", _ => new RestOperation(OperationKind.Manage, null), async (r, ct) =>
        {
            await metaOperations.Value.UpdateAliasesAsync(AliasActions(r), ct).ConfigureAwait(false);
            return new Q.CollectionOperationResponse { Result = true };
        });
        methods.Unary<Q.ListAliasesRequest, Q.ListAliasesResponse>(Service, "ListAliases", _ => listing, (_, _) =>
            Task.FromResult(Aliases(toc.Aliases.ToArray())));
        methods.Unary<Q.ListCollectionAliasesRequest, Q.ListAliasesResponse>(Service, "ListCollectionAliases", r => Read(r.CollectionName), (r, _) =>
        {
            string collection = toc.Get(r.CollectionName).Name;
            return Task.FromResult(Aliases(toc.Aliases.Where(a => a.Value == collection).ToArray()));
        });
        methods.Unary<Q.CreateShardKeyRequest, Q.CreateShardKeyResponse>(Service, "CreateShardKey", r => Manage(r.CollectionName), async (r, ct) =>
        {
            string name = toc.Get(r.CollectionName).Name;
            await metaOperations.Value.CreateShardKeyAsync(name, CreateShardKey(r.Request), ct).ConfigureAwait(false);
            return new Q.CreateShardKeyResponse { Result = true };
        });
        methods.Unary<Q.DeleteShardKeyRequest, Q.DeleteShardKeyResponse>(Service, "DeleteShardKey", r => Manage(r.CollectionName), async (r, ct) =>
        {
            string name = toc.Get(r.CollectionName).Name;
            await metaOperations.Value.DropShardKeyAsync(name, GrpcShardKeys.Key(r.Request?.ShardKey, "request.shard_key"), ct).ConfigureAwait(false);
            return new Q.DeleteShardKeyResponse { Result = true };
        });
        methods.Unary<Q.ListShardKeysRequest, Q.ListShardKeysResponse>(Service, "ListShardKeys", r => Read(r.CollectionName), (r, _) =>
        {
            var response = new Q.ListShardKeysResponse();
            foreach (var k in toc.Get(r.CollectionName).Config.ShardKeys) response.ShardKeys.Add(new Q.ShardKeyDescription { Key = GrpcShardKeys.ToGrpc(k.Key) });
            return Task.FromResult(response);
        });
        methods.Unary<Q.CollectionClusterInfoRequest, Q.CollectionClusterInfoResponse>(Service, "CollectionClusterInfo", r => Read(r.CollectionName), (r, _) =>
            Task.FromResult(ClusterInfo(CollectionClusterView.Read(toc.Get(r.CollectionName), clusterNode.Value, clusterCollections.Value))));
        return methods;
    }

    /// <summary>A <c>CreateShardKey</c> as REST's <c>CreateShardingKey</c>.</summary>
    private static CreateShardKeyRequest CreateShardKey(Q.CreateShardKey? request)
    {
        if (request is null) throw CollectionException.BadJson("missing field `request`");
        var key = GrpcShardKeys.Key(request.ShardKey, "request.shard_key");
        if (request.HasShardsNumber && request.ShardsNumber is 0 or > 4096)
            throw CollectionException.Validation("shards_number", $"value {request.ShardsNumber} invalid, must be from 1 to 4096");
        if (request.HasReplicationFactor && request.ReplicationFactor is 0 or > 1024)
            throw CollectionException.Validation("replication_factor", $"value {request.ReplicationFactor} invalid, must be from 1 to 1024");
        ReplicaState? initial = request.HasInitialState ? request.InitialState switch
        {
            Q.ReplicaState.Active => ReplicaState.Active,
            Q.ReplicaState.Dead => ReplicaState.Dead,
            Q.ReplicaState.Partial => ReplicaState.Partial,
            Q.ReplicaState.Initializing => ReplicaState.Initializing,
            Q.ReplicaState.Listener => ReplicaState.Listener,
            var other => throw CollectionException.WrongInput($"initial state `{other}` is not supported by this node"),
        } : null;
        return new CreateShardKeyRequest(key, request.HasShardsNumber ? (int)request.ShardsNumber : null,
            request.HasReplicationFactor ? (int)request.ReplicationFactor : null, request.Placement.Count > 0 ? [.. request.Placement] : null, initial);
    }

    /// <summary>The alias operations of a <c>ChangeAliases</c> request, as REST's body gives them.</summary>
    private static List<AliasAction> AliasActions(Q.ChangeAliases request)
    {
        var list = new List<AliasAction>(request.Actions.Count);
        foreach (var a in request.Actions)
        {
            list.Add(a.ActionCase switch
            {
                Q.AliasOperations.ActionOneofCase.CreateAlias => new AliasAction(AliasActionKind.Create, a.CreateAlias.AliasName, Collection: a.CreateAlias.CollectionName),
                Q.AliasOperations.ActionOneofCase.DeleteAlias => new AliasAction(AliasActionKind.Delete, a.DeleteAlias.AliasName),
                Q.AliasOperations.ActionOneofCase.RenameAlias => new AliasAction(AliasActionKind.Rename, a.RenameAlias.OldAliasName, NewAlias: a.RenameAlias.NewAliasName),
                _ => throw CollectionException.BadJson($"actions[{list.Count}]: expected create_alias, delete_alias or rename_alias"),
            });
        }

        return list;
    }

    private static Q.ListAliasesResponse Aliases(KeyValuePair<string, string>[] aliases)
    {
        var response = new Q.ListAliasesResponse();
        foreach (var (alias, collection) in aliases) response.Aliases.Add(new Q.AliasDescription { AliasName = alias, CollectionName = collection });
        return response;
    }

    /// <summary>A read of one collection.</summary>
    public static RestOperation Read(string collection) => new(OperationKind.Read, collection);

    /// <summary>A point write on one collection.</summary>
    public static RestOperation Write(string collection) => new(OperationKind.Write, collection);

    /// <summary>Managing one collection (create, update, delete, indexes).</summary>
    public static RestOperation Manage(string collection) => new(OperationKind.Manage, collection);

    /// <summary>A converted body as the JSON element REST's code reads.</summary>
    public static JsonDocument Parse(JsonObject body) => JsonDocument.Parse(body.ToJsonString());

    private static Q.CollectionClusterInfoResponse ClusterInfo(CollectionClusterView view)
    {
        var response = new Q.CollectionClusterInfoResponse { PeerId = view.PeerId, ShardCount = (ulong)view.ShardCount };
        foreach (var local in view.LocalShards)
        {
            var info = new Q.LocalShardInfo { ShardId = local.ShardId, PointsCount = (ulong)local.PointsCount, State = State(local.State) };
            if (local.ShardKey is { } key) info.ShardKey = GrpcShardKeys.ToGrpc(key);
            response.LocalShards.Add(info);
        }
        foreach (var remote in view.RemoteShards)
        {
            var info = new Q.RemoteShardInfo { ShardId = remote.ShardId, PeerId = remote.PeerId, State = State(remote.State) };
            if (remote.ShardKey is { } key) info.ShardKey = GrpcShardKeys.ToGrpc(key);
            response.RemoteShards.Add(info);
        }
        foreach (var (t, _) in view.Transfers)
            response.ShardTransfers.Add(new Q.ShardTransferInfo { ShardId = t.ShardId, From = t.From, To = t.To, Sync = t.Sync });
        return response;
    }

    private static Q.ReplicaState State(ReplicaState state) => state switch
    {
        ReplicaState.Active => Q.ReplicaState.Active,
        ReplicaState.Dead => Q.ReplicaState.Dead,
        ReplicaState.Partial => Q.ReplicaState.Partial,
        ReplicaState.Initializing => Q.ReplicaState.Initializing,
        _ => Q.ReplicaState.Listener,
    };

    private static Q.CollectionInfo ToGrpc(Collection c, CollectionInfo info)
    {
        var result = new Q.CollectionInfo
        {
            Status = info.Status switch { "green" => Q.CollectionStatus.Green, "yellow" => Q.CollectionStatus.Yellow, _ => Q.CollectionStatus.Red },
            OptimizerStatus = new Q.OptimizerStatus { Ok = true },
            SegmentsCount = (ulong)c.LocalShards.Count,
            PointsCount = (ulong)info.PointsCount,
            IndexedVectorsCount = (ulong)info.IndexedVectorsCount,
            Config = GrpcCollectionConfig.ToGrpc(c.Config),
        };
        foreach (var (field, schema) in c.Config.PayloadSchema)
        {
            var dataType = (schema as JsonObject)?["data_type"]?.GetValue<string>();
            result.PayloadSchema[field] = new Q.PayloadSchemaInfo
            {
                DataType = GrpcCollectionConfig.SchemaType(dataType),
                Points = (ulong)info.SchemaPoints.GetValueOrDefault(field),
            };
        }
        return result;
    }
}
