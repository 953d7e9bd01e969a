using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Api.Rest;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Storage;
using Q = Qdrant.Client.Grpc;

#pragma warning disable CS0612 // deprecated proto fields: older clients still send them

namespace AspireVector.Node.Api.Grpc;

public static partial class PointsService
{
    /// <summary>
    /// UpdateBatch (UpdateVectors and DeleteVectors are mapped with the other point writes). Each operation becomes the REST body of the same operation and is read
    /// by REST's <see cref="PointUpdates"/>, so both APIs validate, refuse and apply updates identically (a batch is
    /// validated whole, and the ids it changes checked, before its first operation runs).
    /// </summary>
    private static QdrantGrpcMethods MapVectorUpdates(this QdrantGrpcMethods methods, TableOfContents toc, NodeOptions o)
    {
        methods.Unary<Q.UpdateBatchPoints, Q.UpdateBatchResponse>(Service, "UpdateBatch", r => CollectionsService.Write(r.CollectionName), async (r, ct) =>
        {
            var c = toc.Get(r.CollectionName);
            var order = GrpcPoints.Ordering(r.Ordering);
            var updates = new List<PointUpdate>(r.Operations.Count);
            for (int i = 0; i < r.Operations.Count; i++)
            {
                var (kind, body) = Operation(r.Operations[i], c.Config, $"operations[{i}]");
                if (GrpcShardKeys.Json(SelectorOf(r.Operations[i])) is { } shardKey) body["shard_key"] = shardKey;
                try
                {
                    updates.Add(Read(c, kind, body, o));
                }
                catch (CollectionException e)
                {
                    throw new CollectionException(e.StatusCode, $"{e.Message} (in `operations[{i}].{kind}`)");
                }
            }
            await PointUpdates.EnsureTargetsExistAsync(updates, c, ct).ConfigureAwait(false);
            var response = new Q.UpdateBatchResponse();
            foreach (var update in updates) response.Result.Add(GrpcPoints.Update(await update.Run(c, r.Wait, order, ct).ConfigureAwait(false)));
            return response;
        });
        return methods;
    }

    private static PointUpdate Read(Collection c, string kind, JsonObject body, NodeOptions o)
    {
        using var doc = JsonDocument.Parse(body.ToJsonString());
        return PointUpdates.Read(kind, doc.RootElement, c, o);
    }

    /// <summary>The shard key selector of one batch operation (null when it has none).</summary>
    private static Q.ShardKeySelector? SelectorOf(Q.PointsUpdateOperation op) => op.OperationCase switch
    {
        Q.PointsUpdateOperation.OperationOneofCase.Upsert => op.Upsert.ShardKeySelector,
        Q.PointsUpdateOperation.OperationOneofCase.DeletePoints => op.DeletePoints.ShardKeySelector,
        Q.PointsUpdateOperation.OperationOneofCase.SetPayload => op.SetPayload.ShardKeySelector,
        Q.PointsUpdateOperation.OperationOneofCase.OverwritePayload => op.OverwritePayload.ShardKeySelector,
        Q.PointsUpdateOperation.OperationOneofCase.DeletePayload => op.DeletePayload.ShardKeySelector,
        Q.PointsUpdateOperation.OperationOneofCase.ClearPayload => op.ClearPayload.ShardKeySelector,
        Q.PointsUpdateOperation.OperationOneofCase.UpdateVectors => op.UpdateVectors.ShardKeySelector,
        Q.PointsUpdateOperation.OperationOneofCase.DeleteVectors => op.DeleteVectors.ShardKeySelector,
        _ => null,
    };

    /// <summary>One batch operation as its REST name and body.</summary>
    private static (string Kind, JsonObject Body) Operation(Q.PointsUpdateOperation op, CollectionConfig config, string at)
    {
        switch (op.OperationCase)
        {
            case Q.PointsUpdateOperation.OperationOneofCase.Upsert:
                if (op.Upsert.UpdateFilter is not null) throw CollectionException.WrongInput($"`update_filter` is not supported by this node (at `{at}.upsert`)");
                if (op.Upsert.HasUpdateMode && op.Upsert.UpdateMode != Q.UpdateMode.Upsert)
                    throw CollectionException.WrongInput($"update mode `{op.Upsert.UpdateMode}` is not supported by this node (at `{at}.upsert`)");
                var points = new JsonArray();
                for (int i = 0; i < op.Upsert.Points.Count; i++)
                {
                    var p = op.Upsert.Points[i];
                    string pointAt = $"{at}.upsert.points[{i}]";
                    if (p.Vectors is null) throw CollectionException.WrongInput($"missing field `vectors` at `{pointAt}`");
                    points.Add(new JsonObject
                    {
                        ["id"] = IdJson(p.Id, pointAt + ".id"),
                        ["vector"] = VectorsJson(p.Vectors, config, pointAt + ".vectors"),
                        ["payload"] = PayloadValues.ToPayload(p.Payload, pointAt + ".payload"),
                    });
                }
                return ("upsert", new JsonObject { ["points"] = points });
            case Q.PointsUpdateOperation.OperationOneofCase.DeletePoints:
                return ("delete", SelectorBody(op.DeletePoints.Points, $"{at}.delete_points.points"));
            case Q.PointsUpdateOperation.OperationOneofCase.DeleteDeprecated:
                return ("delete", SelectorBody(op.DeleteDeprecated, $"{at}.delete"));
            case Q.PointsUpdateOperation.OperationOneofCase.SetPayload:
            {
                var body = SelectorBody(op.SetPayload.PointsSelector, $"{at}.set_payload.points_selector");
                body["payload"] = PayloadValues.ToRequiredPayload(op.SetPayload.Payload, $"{at}.set_payload.payload");
                if (op.SetPayload.HasKey) body["key"] = op.SetPayload.Key;
                return ("set_payload", body);
            }
            case Q.PointsUpdateOperation.OperationOneofCase.OverwritePayload:
            {
                if (op.OverwritePayload.HasKey) throw CollectionException.WrongInput($"`key` is not supported when overwriting a payload (at `{at}.overwrite_payload`)");
                var body = SelectorBody(op.OverwritePayload.PointsSelector, $"{at}.overwrite_payload.points_selector");
                body["payload"] = PayloadValues.ToRequiredPayload(op.OverwritePayload.Payload, $"{at}.overwrite_payload.payload");
                return ("overwrite_payload", body);
            }
            case Q.PointsUpdateOperation.OperationOneofCase.DeletePayload:
            {
                var body = SelectorBody(op.DeletePayload.PointsSelector, $"{at}.delete_payload.points_selector");
                body["keys"] = new JsonArray([.. op.DeletePayload.Keys.Select(k => (JsonNode?)JsonValue.Create(k))]);
                return ("delete_payload", body);
            }
            case Q.PointsUpdateOperation.OperationOneofCase.ClearPayload:
                return ("clear_payload", SelectorBody(op.ClearPayload.Points, $"{at}.clear_payload.points"));
            case Q.PointsUpdateOperation.OperationOneofCase.ClearPayloadDeprecated:
                return ("clear_payload", SelectorBody(op.ClearPayloadDeprecated, $"{at}.clear_payload"));
            case Q.PointsUpdateOperation.OperationOneofCase.UpdateVectors:
                return ("update_vectors", UpdateVectorsBody(op.UpdateVectors.Points, op.UpdateVectors.UpdateFilter, config));
            case Q.PointsUpdateOperation.OperationOneofCase.DeleteVectors:
                return ("delete_vectors", DeleteVectorsBody(op.DeleteVectors.PointsSelector, op.DeleteVectors.Vectors));
            default:
                throw CollectionException.BadJson($"missing update operation at `{at}`: expected one of `{string.Join("`, `", PointUpdates.Kinds)}`");
        }
    }

    private static JsonObject UpdateVectorsBody(Google.Protobuf.Collections.RepeatedField<Q.PointVectors> points, Q.Filter? updateFilter, CollectionConfig config)
    {
        var list = new JsonArray();
        for (int i = 0; i < points.Count; i++)
        {
            string at = $"points[{i}]";
            if (points[i].Vectors is null) throw CollectionException.WrongInput($"missing field `vectors` at `{at}`");
            list.Add(new JsonObject { ["id"] = IdJson(points[i].Id, at + ".id"), ["vector"] = VectorsJson(points[i].Vectors, config, at + ".vectors") });
        }
        var body = new JsonObject { ["points"] = list };
        if (updateFilter is not null) body["update_filter"] = GrpcFilters.ToJson(updateFilter, "update_filter");
        return body;
    }

    private static JsonObject DeleteVectorsBody(Q.PointsSelector? selector, Q.VectorsSelector? vectors)
    {
        var body = SelectorBody(selector, "points_selector");
        body["vector"] = new JsonArray([.. (vectors?.Names ?? []).Select(n => (JsonNode?)JsonValue.Create(n))]);
        return body;
    }

    /// <summary>REST's <c>points</c> (ids) or <c>filter</c> for a selector.</summary>
    private static JsonObject SelectorBody(Q.PointsSelector? selector, string at) => selector?.PointsSelectorOneOfCase switch
    {
        Q.PointsSelector.PointsSelectorOneOfOneofCase.Points => new JsonObject
        {
            ["points"] = new JsonArray([.. selector.Points.Ids.Select((id, i) => IdJson(id, $"{at}.points[{i}]"))]),
        },
        Q.PointsSelector.PointsSelectorOneOfOneofCase.Filter => new JsonObject { ["filter"] = GrpcFilters.ToJson(selector.Filter, at + ".filter") },
        _ => throw CollectionException.BadJson($"expected `{at}`: a list of ids or a filter"),
    };

    private static JsonNode IdJson(Q.PointId? id, string at) => GrpcPoints.IdToJson(id ?? new Q.PointId()) ?? throw CollectionException.WrongInput($"missing point id at `{at}`");

    /// <summary>A point's vectors in REST's form: a list of numbers, or <c>{"name": [..]}</c>, checked against the collection's vectors.</summary>
    private static JsonNode VectorsJson(Q.Vectors vectors, CollectionConfig config, string at)
    {
        var checkedVectors = GrpcPoints.PointVectors(vectors, config, at);
        if (vectors.VectorsOptionsCase == Q.Vectors.VectorsOptionsOneofCase.Vector) return VectorJson(checkedVectors.Dense[""], config.MultivectorRowSize(""));
        var named = new JsonObject();
        foreach (var (name, vector) in checkedVectors.Dense) named[name] = VectorJson(vector, config.MultivectorRowSize(name));
        foreach (var (name, vector) in checkedVectors.Sparse)
        {
            var indices = new JsonArray();
            foreach (uint i in vector.Indices) indices.Add(i);
            named[name] = new JsonObject { ["indices"] = indices, ["values"] = VectorJson(vector.Values) };
        }

        return named;
    }

    /// <summary>A checked vector as REST's JSON: a list, or with <paramref name="rowSize"/> a multivector's list of rows.</summary>
    private static JsonArray VectorJson(float[] vector, int rowSize)
    {
        if (rowSize <= 0) return VectorJson(vector);
        var rows = new JsonArray();
        for (int r = 0; r + rowSize <= vector.Length; r += rowSize) rows.Add(VectorJson(vector.AsSpan(r, rowSize).ToArray()));
        return rows;
    }

    private static JsonArray VectorJson(float[] vector)
    {
        var array = new JsonArray();
        foreach (float x in vector) array.Add(x);
        return array;
    }
}
