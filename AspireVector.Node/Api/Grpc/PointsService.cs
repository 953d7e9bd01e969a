using System.Text.Json.Nodes;
using AspireVector.Node.Api.Rest;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;
using Google.Protobuf;
using Q = Qdrant.Client.Grpc;

namespace AspireVector.Node.Api.Grpc;

/// <summary>
/// <c>qdrant.Points</c>: the update methods (upsert, delete, payload, field indexes) through the same
/// <see cref="Collection"/> calls REST's <see cref="PointsApi"/> makes, so a cluster-mode node coordinates them
/// the same way; the reads (<c>PointsService.*.cs</c>) likewise, and the vector-name methods (CreateVectorName,
/// DeleteVectorName) through REST's <see cref="VectorNamesApi"/>.
/// </summary>
public static partial class PointsService
{
    private const string Service = "qdrant.Points";

    /// <summary>Maps the point methods.</summary>
    public static QdrantGrpcMethods MapPointsService(this QdrantGrpcMethods methods, IServiceProvider services)
    {
        var toc = services.GetRequiredService<TableOfContents>();
        // Resolved at the first call, not while the host starts: the cluster services must not be built from here.
        var metaOperations = new Lazy<ICollectionMetaOperations>(services.GetRequiredService<ICollectionMetaOperations>);
        var o = services.GetRequiredService<NodeOptions>();

        methods.Unary<Q.UpsertPoints, Q.PointsOperationResponse>(Service, "Upsert", r => CollectionsService.Write(r.CollectionName), async (r, ct) =>
        {
            var c = toc.Get(r.CollectionName);
            if (r.UpdateFilter is not null) throw CollectionException.WrongInput("`update_filter` is not supported by this node");
            if (r.HasUpdateMode && r.UpdateMode != Q.UpdateMode.Upsert) throw CollectionException.WrongInput($"update mode `{r.UpdateMode}` is not supported by this node");
            using var shardScope = GrpcShardKeys.Enter(c, r.ShardKeySelector);
            var points = GrpcPoints.Records(r.Points, c.Config, o.Service.MaxBatchSize);
            StrictMode.CheckUpsertBatch(c.Config, points.Count);
            StrictMode.CheckPointsCount(c.Config, c.PointsCount);
            var result = await c.UpsertAsync(points, r.Wait, ct, GrpcPoints.Ordering(r.Ordering)).ConfigureAwait(false);
            return Response(result);
        });
        methods.Unary<Q.UpdatePointVectors, Q.PointsOperationResponse>(Service, "UpdateVectors", r => CollectionsService.Write(r.CollectionName), async (r, ct) =>
        {
            var c = toc.Get(r.CollectionName);
            using var shardScope = GrpcShardKeys.Enter(c, r.ShardKeySelector);
            if (r.Points.Count == 0) throw CollectionException.Validation("points", "must have at least 1 item");
            if (r.Points.Count > o.Service.MaxBatchSize) throw CollectionException.WrongInput($"too many points in one request: {r.Points.Count} (max {o.Service.MaxBatchSize})");
            var vectors = new List<PointRecord>(r.Points.Count);
            for (int i = 0; i < r.Points.Count; i++)
            {
                string at = $"points[{i}]";
                var p = r.Points[i];
                if (p.Vectors is null) throw CollectionException.WrongInput($"missing field `vectors` at `{at}`");
                var named = GrpcPoints.PointVectors(p.Vectors, c.Config, at + ".vectors");
                if (named.Count == 0) throw CollectionException.Validation(at + ".vectors", "must name at least one vector to update");
                vectors.Add(named.ToRecord(GrpcPoints.Id(p.Id, at + ".id"), null));
            }
            var updateFilter = GrpcFilters.Read(r.UpdateFilter);
            StrictMode.CheckUpsertBatch(c.Config, vectors.Count, "update limit");
            StrictMode.CheckUpdateFilter(c.Config, updateFilter);
            var result = await c.UpdateVectorsAsync(vectors, updateFilter, r.Wait, ct, GrpcPoints.Ordering(r.Ordering)).ConfigureAwait(false);
            return Response(result);
        });
        methods.Unary<Q.DeletePointVectors, Q.PointsOperationResponse>(Service, "DeleteVectors", r => CollectionsService.Write(r.CollectionName), (r, ct) =>
        {
            var c = toc.Get(r.CollectionName);
            using var shardScope = GrpcShardKeys.Enter(c, r.ShardKeySelector);
            if (r.Vectors is not { Names.Count: > 0 }) throw CollectionException.Validation("vectors", "must have at least 1 item");
            var names = new List<string>();
            foreach (var name in r.Vectors.Names)
            {
                c.Config.RequireVectorName(name);
                if (!names.Contains(name)) names.Add(name);
            }
            var op = new ShardOperation { Kind = ShardOperationKind.DeleteVectors, VectorNames = names };
            return SelectedAsync(toc, r.CollectionName, r.PointsSelector, "points", op, r.Wait, r.Ordering, ct);
        });
        methods.Unary<Q.DeletePoints, Q.PointsOperationResponse>(Service, "Delete", r => CollectionsService.Write(r.CollectionName), (r, ct) =>
        {
            using var shardScope = GrpcShardKeys.Enter(toc.Get(r.CollectionName), r.ShardKeySelector);
            return SelectedAsync(toc, r.CollectionName, r.Points, "points", new ShardOperation { Kind = ShardOperationKind.Delete }, r.Wait, r.Ordering, ct);
        });
        methods.Unary<Q.SetPayloadPoints, Q.PointsOperationResponse>(Service, "SetPayload", r => CollectionsService.Write(r.CollectionName), (r, ct) =>
        {
            using var shardScope = GrpcShardKeys.Enter(toc.Get(r.CollectionName), r.ShardKeySelector);
            var op = new ShardOperation
            {
                Kind = ShardOperationKind.SetPayload,
                Payload = PayloadValues.ToRequiredPayload(r.Payload, "payload"),
                Key = r.HasKey ? PointUpdates.ValidKey(r.Key, "key") : null,
            };
            return SelectedAsync(toc, r.CollectionName, r.PointsSelector, "points_selector", op, r.Wait, r.Ordering, ct);
        });
        methods.Unary<Q.SetPayloadPoints, Q.PointsOperationResponse>(Service, "OverwritePayload", r => CollectionsService.Write(r.CollectionName), (r, ct) =>
        {
            using var shardScope = GrpcShardKeys.Enter(toc.Get(r.CollectionName), r.ShardKeySelector);
            if (r.HasKey) throw CollectionException.WrongInput("`key` is not supported when overwriting a payload");
            var op = new ShardOperation { Kind = ShardOperationKind.OverwritePayload, Payload = PayloadValues.ToRequiredPayload(r.Payload, "payload") };
            return SelectedAsync(toc, r.CollectionName, r.PointsSelector, "points_selector", op, r.Wait, r.Ordering, ct);
        });
        methods.Unary<Q.DeletePayloadPoints, Q.PointsOperationResponse>(Service, "DeletePayload", r => CollectionsService.Write(r.CollectionName), (r, ct) =>
        {
            using var shardScope = GrpcShardKeys.Enter(toc.Get(r.CollectionName), r.ShardKeySelector);
            var keys = new List<string>(r.Keys.Count);
            foreach (var key in r.Keys) keys.Add(PointUpdates.ValidKey(key, "keys"));
            var op = new ShardOperation { Kind = ShardOperationKind.DeletePayload, Keys = keys };
            return SelectedAsync(toc, r.CollectionName, r.PointsSelector, "points_selector", op, r.Wait, r.Ordering, ct);
        });
        methods.Unary<Q.ClearPayloadPoints, Q.PointsOperationResponse>(Service, "ClearPayload", r => CollectionsService.Write(r.CollectionName), (r, ct) =>
        {
            using var shardScope = GrpcShardKeys.Enter(toc.Get(r.CollectionName), r.ShardKeySelector);
            return SelectedAsync(toc, r.CollectionName, r.Points, "points", new ShardOperation { Kind = ShardOperationKind.ClearPayload }, r.Wait, r.Ordering, ct);
        });
        methods.Unary<Q.CreateFieldIndexCollection, Q.PointsOperationResponse>(Service, "CreateFieldIndex", r => CollectionsService.Write(r.CollectionName), async (r, ct) =>
        {
            toc.Get(r.CollectionName);
            GrpcPoints.Ordering(r.Ordering);
            using var body = CollectionsService.Parse(IndexBody(r));
            await CollectionsApi.CreateIndexAsync(r.CollectionName, body.RootElement, metaOperations.Value, ct).ConfigureAwait(false);
            return Response(new UpdateResult(0, r.Wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged));
        });
        methods.Unary<Q.DeleteFieldIndexCollection, Q.PointsOperationResponse>(Service, "DeleteFieldIndex", r => CollectionsService.Write(r.CollectionName), async (r, ct) =>
        {
            toc.Get(r.CollectionName);
            GrpcPoints.Ordering(r.Ordering);
            await CollectionsApi.DeleteIndexAsync(r.CollectionName, r.FieldName, metaOperations.Value, ct).ConfigureAwait(false);
            return Response(new UpdateResult(0, r.Wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged));
        });
        return methods.MapReads(toc, o).MapSearches(toc, o).MapRecommends(toc, o).MapGroups(toc, o).MapFacets(toc, o).MapVectorUpdates(toc, o).MapVectorNames(toc, metaOperations, o);
    }

    private static Q.PointsOperationResponse Response(UpdateResult result) => new() { Result = GrpcPoints.Update(result) };

    /// <summary>An id-or-filter update, as REST's <c>points</c>/<c>filter</c> bodies select the targets.</summary>
    private static async Task<Q.PointsOperationResponse> SelectedAsync(TableOfContents toc, string name, Q.PointsSelector? selector, string field,
        ShardOperation op, bool wait, Q.WriteOrdering? ordering, CancellationToken ct)
    {
        var c = toc.Get(name);
        var order = GrpcPoints.Ordering(ordering);
        List<PointId>? ids = null;
        QueryFilter? filter = null;
        switch (selector?.PointsSelectorOneOfCase)
        {
            case Q.PointsSelector.PointsSelectorOneOfOneofCase.Points: ids = GrpcPoints.Ids(selector.Points.Ids, field); break;
            case Q.PointsSelector.PointsSelectorOneOfOneofCase.Filter: filter = GrpcFilters.Read(selector.Filter); break;
            default: throw CollectionException.BadJson($"expected `{field}`: a list of ids or a filter");
        }
        StrictMode.CheckUpdateFilter(c.Config, filter);
        var result = await c.UpdateSelectedAsync(op, ids, filter, wait, ct, order).ConfigureAwait(false);
        return Response(result);
    }

    /// <summary>The REST body of <c>PUT /collections/{name}/index</c> for a gRPC index request.</summary>
    private static JsonObject IndexBody(Q.CreateFieldIndexCollection r)
    {
        var body = new JsonObject { ["field_name"] = r.FieldName };
        if (!r.HasFieldType) return body;
        string type = r.FieldType switch
        {
            Q.FieldType.Keyword => "keyword",
            Q.FieldType.Integer => "integer",
            Q.FieldType.Float => "float",
            Q.FieldType.Geo => "geo",
            Q.FieldType.Text => "text",
            Q.FieldType.Bool => "bool",
            Q.FieldType.Datetime => "datetime",
            Q.FieldType.Uuid => "uuid",
            var other => other.ToString(),
        };
        if (r.FieldIndexParams is not { } p)
        {
            body["field_schema"] = type;
            return body;
        }
        // The params message in REST's field names (proto names); REST stores them as given.
        var schema = JsonNode.Parse(ParamsFormatter.Format(ParamsOf(p)))!.AsObject();
        if (p.IndexParamsCase == Q.PayloadIndexParams.IndexParamsOneofCase.TextIndexParams)
        {
            var text = p.TextIndexParams;
            schema["tokenizer"] = text.Tokenizer.ToString().ToLowerInvariant();
            if (text.HasMinTokenLen) schema["min_token_len"] = text.MinTokenLen;
            if (text.HasMaxTokenLen) schema["max_token_len"] = text.MaxTokenLen;
        }
        schema["type"] = type;
        body["field_schema"] = schema;
        return body;
    }

    private static readonly JsonFormatter ParamsFormatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

    private static IMessage ParamsOf(Q.PayloadIndexParams p) => p.IndexParamsCase switch
    {
        Q.PayloadIndexParams.IndexParamsOneofCase.KeywordIndexParams => p.KeywordIndexParams,
        Q.PayloadIndexParams.IndexParamsOneofCase.IntegerIndexParams => p.IntegerIndexParams,
        Q.PayloadIndexParams.IndexParamsOneofCase.FloatIndexParams => p.FloatIndexParams,
        Q.PayloadIndexParams.IndexParamsOneofCase.GeoIndexParams => p.GeoIndexParams,
        Q.PayloadIndexParams.IndexParamsOneofCase.TextIndexParams => p.TextIndexParams,
        Q.PayloadIndexParams.IndexParamsOneofCase.BoolIndexParams => p.BoolIndexParams,
        Q.PayloadIndexParams.IndexParamsOneofCase.DatetimeIndexParams => p.DatetimeIndexParams,
        Q.PayloadIndexParams.IndexParamsOneofCase.UuidIndexParams => p.UuidIndexParams,
        _ => new Q.PayloadIndexParams(),
    };
}
