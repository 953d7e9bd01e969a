using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Filters;
using AspireVector.Node.Points;
using AspireVector.Node.Sharding;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Api.Rest;

/// <summary>A validated point update, ready to run against its collection, with the ids it needs and touches.</summary>
/// <param name="Run">Applies the update.</param>
public sealed record PointUpdate(Func<Collection, bool, WriteOrdering, CancellationToken, Task<UpdateResult>> Run)
{
    /// <summary>Ids that must exist when it runs (payload and vector changes by id answer 404 otherwise).</summary>
    public IReadOnlyList<PointId> MustExist { get; init; } = [];

    /// <summary>Ids it creates (upserts).</summary>
    public IReadOnlyList<PointId> Creates { get; init; } = [];

    /// <summary>Ids it deletes.</summary>
    public IReadOnlyList<PointId> Deletes { get; init; } = [];
}

/// <summary>
/// Reads Qdrant's point update bodies (each endpoint's, and the same shapes inside <c>points/batch</c>) into
/// <see cref="PointUpdate"/>s: everything is validated while reading, so a bad body changes nothing.
/// </summary>
public static class PointUpdates
{
    /// <summary>The operation names of <c>points/batch</c>, in Qdrant's order.</summary>
    public static readonly string[] Kinds =
        ["upsert", "delete", "set_payload", "overwrite_payload", "delete_payload", "clear_payload", "update_vectors", "delete_vectors"];

    /// <summary>Reads the body of operation <paramref name="kind"/> (one of <see cref="Kinds"/>).</summary>
    public static PointUpdate Read(string kind, JsonElement body, Collection c, NodeOptions options)
    {
        if (body.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"expected a JSON object for `{kind}`");
        var selector = ShardKeySelector.Read(body);
        var update = kind switch
        {
            "upsert" => Upsert(PointsReader.ReadUpsert(body, c.Config, options.Service.MaxBatchSize), c),
            "delete" => Selected(body, new ShardOperation { Kind = ShardOperationKind.Delete }, c),
            "set_payload" => Selected(body, new ShardOperation { Kind = ShardOperationKind.SetPayload, Payload = RequiredPayload(body), Key = OptionalKey(body) }, c),
            "overwrite_payload" => Selected(body, new ShardOperation { Kind = ShardOperationKind.OverwritePayload, Payload = RequiredPayload(body) }, c),
            "delete_payload" => Selected(body, new ShardOperation { Kind = ShardOperationKind.DeletePayload, Keys = RequiredKeys(body) }, c),
            "clear_payload" => Selected(body, new ShardOperation { Kind = ShardOperationKind.ClearPayload }, c),
            "update_vectors" => UpdateVectors(body, c, options),
            "delete_vectors" => DeleteVectors(body, c),
            _ => throw CollectionException.BadJson($"unknown update operation `{kind}`"),
        };
        // Every update runs routed by its own shard_key (or by none: a custom-sharded collection then refuses it).
        var run = update.Run;
        return update with { Run = (col, wait, ordering, ct) => ShardKeyScope.RunAsync(col.Name, selector, () => run(col, wait, ordering, ct)) };
    }

    /// <summary>
    /// Reads <c>{"operations": [{"upsert": ..}, {"delete": ..}, ..]}</c>: every operation is validated before the
    /// first one runs.
    /// </summary>
    public static List<PointUpdate> ReadBatch(JsonElement body, Collection c, NodeOptions options)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("operations", out var ops) || ops.ValueKind != JsonValueKind.Array)
            throw CollectionException.BadJson("missing field `operations` (expected a list of update operations)");
        var list = new List<PointUpdate>(ops.GetArrayLength());
        int i = 0;
        foreach (var op in ops.EnumerateArray())
        {
            string? kind = null;
            if (op.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in op.EnumerateObject())
                {
                    if (kind is not null || Array.IndexOf(Kinds, p.Name) < 0) { kind = null; break; }
                    kind = p.Name;
                }
            }

            if (kind is null)
                throw CollectionException.BadJson($"data did not match any variant of untagged enum UpdateOperation at `operations[{i}]`: expected one of `{string.Join("`, `", Kinds)}`");
            try
            {
                list.Add(Read(kind, op.GetProperty(kind), c, options));
            }
            catch (CollectionException e)
            {
                throw new CollectionException(e.StatusCode, $"{e.Message} (in `operations[{i}].{kind}`)");
            }

            i++;
        }

        return list;
    }

    /// <summary>
    /// 404 before anything runs when an operation of <paramref name="updates"/> targets an id that is neither stored nor
    /// upserted by an earlier operation (nor deleted by id in between), so a refused batch changes nothing. Only a
    /// filter-based delete earlier in the batch removing such a point can still stop the batch midway.
    /// </summary>
    public static async Task EnsureTargetsExistAsync(List<PointUpdate> updates, Collection c, CancellationToken cancellationToken)
    {
        var present = new Dictionary<PointId, bool>(); // what the batch itself decides: true created, false deleted
        var toCheck = new List<PointId>();
        var firstNeed = new Dictionary<PointId, int>();
        for (int i = 0; i < updates.Count; i++)
        {
            foreach (var id in updates[i].MustExist)
            {
                if (present.TryGetValue(id, out bool exists))
                {
                    if (!exists) throw CollectionException.PointNotFound(id);
                }
                else if (firstNeed.TryAdd(id, i)) toCheck.Add(id);
            }

            foreach (var id in updates[i].Deletes) present[id] = false;
            foreach (var id in updates[i].Creates) present[id] = true;
        }

        if (toCheck.Count == 0) return;
        var found = (await c.RetrieveAsync(toCheck, withVector: false, default, cancellationToken)).Select(p => p.Id).ToHashSet();
        foreach (var id in toCheck) if (!found.Contains(id)) throw CollectionException.PointNotFound(id);
    }

    private static PointUpdate Upsert(List<PointRecord> points, Collection c)
    {
        StrictMode.CheckUpsertBatch(c.Config, points.Count);
        StrictMode.CheckPointsCount(c.Config, c.PointsCount);
        return new((col, wait, ordering, ct) => col.UpsertAsync(points, wait, ct, ordering)) { Creates = [.. points.Select(p => p.Id)] };
    }

    /// <summary>An id-or-filter update: <c>points</c> (ids) or <c>filter</c> selects the targets.</summary>
    private static PointUpdate Selected(JsonElement body, ShardOperation op, Collection c)
    {
        List<PointId>? ids = body.TryGetProperty("points", out var pts) && pts.ValueKind != JsonValueKind.Null ? PointsReader.ReadIds(pts, "points") : null;
        var filter = FilterBinding.Read(body);
        if (ids is null && filter is null) throw CollectionException.BadJson("expected `points` (a list of ids) or `filter`");
        if (ids is null) StrictMode.CheckUpdateFilter(c.Config, filter);
        bool delete = op.Kind == ShardOperationKind.Delete;
        return new PointUpdate((c, wait, ordering, ct) => c.UpdateSelectedAsync(op, ids, ids is null ? filter : null, wait, ct, ordering))
        {
            MustExist = delete ? [] : ids ?? [],
            Deletes = delete ? ids ?? [] : [],
        };
    }

    private static PointUpdate UpdateVectors(JsonElement body, Collection c, NodeOptions options)
    {
        if (!body.TryGetProperty("points", out var points) || points.ValueKind != JsonValueKind.Array)
            throw CollectionException.BadJson("missing field `points` (expected a list of points with vectors)");
        if (points.GetArrayLength() == 0) throw CollectionException.Validation("points", "must have at least 1 item");
        if (points.GetArrayLength() > options.Service.MaxBatchSize)
            throw CollectionException.WrongInput($"too many points in one request: {points.GetArrayLength()} (max {options.Service.MaxBatchSize})");
        var vectors = new List<PointRecord>(points.GetArrayLength());
        int i = 0;
        foreach (var p in points.EnumerateArray())
        {
            string at = $"points[{i++}]";
            if (p.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `{at}`: expected a point object");
            if (!p.TryGetProperty("id", out var id)) throw CollectionException.BadJson($"missing field `id` at `{at}`");
            if (!p.TryGetProperty("vector", out var vector)) throw CollectionException.BadJson($"missing field `vector` at `{at}`");
            var named = PointsReader.ReadPointVectors(vector, c.Config, at + ".vector");
            if (named.Count == 0) throw CollectionException.Validation(at + ".vector", "must name at least one vector to update");
            vectors.Add(named.ToRecord(PointsReader.ReadId(id, at + ".id"), null));
        }

        var filter = FilterBinding.Read(body, "update_filter");
        StrictMode.CheckUpsertBatch(c.Config, vectors.Count, "update limit");
        StrictMode.CheckUpdateFilter(c.Config, filter);
        return new PointUpdate((col, wait, ordering, ct) => col.UpdateVectorsAsync(vectors, filter, wait, ct, ordering))
        {
            MustExist = [.. vectors.Select(v => v.Id)],
        };
    }

    /// <summary>
    /// <c>delete_vectors</c>: removes the named vectors (<c>""</c> for the unnamed one) from the points selected by
    /// <c>points</c> or <c>filter</c>; the points keep their other vectors and their payload.
    /// </summary>
    private static PointUpdate DeleteVectors(JsonElement body, Collection c)
    {
        if (!body.TryGetProperty("vector", out var namesJson) || namesJson.ValueKind != JsonValueKind.Array)
            throw CollectionException.BadJson("missing field `vector` (expected a list of vector names)");
        if (namesJson.GetArrayLength() == 0) throw CollectionException.Validation("vector", "must have at least 1 item");
        List<PointId>? ids = body.TryGetProperty("points", out var pts) && pts.ValueKind != JsonValueKind.Null ? PointsReader.ReadIds(pts, "points") : null;
        var filter = FilterBinding.Read(body);
        if (ids is null && filter is null) throw CollectionException.BadJson("expected `points` (a list of ids) or `filter`");
        if (ids is null) StrictMode.CheckUpdateFilter(c.Config, filter);
        var names = new List<string>(namesJson.GetArrayLength());
        foreach (var n in namesJson.EnumerateArray())
        {
            if (n.ValueKind != JsonValueKind.String) throw CollectionException.BadJson($"invalid type for `vector`: expected vector name strings, got {n.GetRawText()}");
            c.Config.RequireVectorName(n.GetString());
            if (!names.Contains(n.GetString()!)) names.Add(n.GetString()!);
        }

        return new PointUpdate((col, wait, ordering, ct) => col.DeleteVectorsAsync(names, ids, ids is null ? filter : null, wait, ct, ordering))
        {
            MustExist = ids ?? [],
        };
    }

    private static JsonObject RequiredPayload(JsonElement body) =>
        body.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object
            ? PayloadJson.FromElement(p)
            : throw CollectionException.BadJson("missing field `payload` (expected an object)");

    private static string? OptionalKey(JsonElement body)
    {
        if (!body.TryGetProperty("key", out var k) || k.ValueKind == JsonValueKind.Null) return null;
        if (k.ValueKind != JsonValueKind.String) throw CollectionException.BadJson($"invalid type for `key`: expected a string, got {k.GetRawText()}");
        return ValidKey(k.GetString()!, "key");
    }

    /// <summary>A payload key that filters can name, or a 400 naming where it came from (REST and gRPC bodies).</summary>
    public static string ValidKey(string key, string at) =>
        PayloadKey.TryParse(key, out _, out var error) ? key : throw CollectionException.WrongInput($"invalid payload key `{key}` in `{at}`: {error}");

    private static List<string> RequiredKeys(JsonElement body)
    {
        if (!body.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array) throw CollectionException.BadJson("missing field `keys` (expected a list of keys)");
        var list = new List<string>();
        foreach (var k in keys.EnumerateArray())
        {
            if (k.ValueKind != JsonValueKind.String) throw CollectionException.BadJson($"invalid type for `keys`: expected strings, got {k.GetRawText()}");
            list.Add(ValidKey(k.GetString()!, "keys"));
        }
        return list;
    }
}
