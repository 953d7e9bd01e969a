using System.Text.Json.Nodes;
using AspireVector.Node.Api.Rest;
using AspireVector.Node.Collections;
using AspireVector.Node.Index.Sparse;
using AspireVector.Node.Points;
using AspireVector.Node.Sharding;
using AspireVector.Node.Storage;
using Google.Protobuf.Collections;
using Q = Qdrant.Client.Grpc;

#pragma warning disable CS0612 // deprecated proto fields: older clients still send and read them

namespace AspireVector.Node.Api.Grpc;

/// <summary>
/// Points between Qdrant's gRPC messages and the node's types: ids, dense vectors (unnamed, or named),
/// payload and vector selectors, read consistency and write ordering. Validation and wording follow REST's
/// <see cref="PointsReader"/>.
/// </summary>
public static class GrpcPoints
{
    /// <summary>A point id; a malformed uuid or a missing id is a client error.</summary>
    public static PointId Id(Q.PointId? id, string at) => id?.PointIdOptionsCase switch
    {
        Q.PointId.PointIdOptionsOneofCase.Num => PointId.FromNumber(id.Num),
        Q.PointId.PointIdOptionsOneofCase.Uuid => Guid.TryParse(id.Uuid, out var uuid)
            ? PointId.FromUuid(uuid)
            : throw CollectionException.WrongInput($"Unable to parse UUID: {id.Uuid} at `{at}`"),
        _ => throw CollectionException.WrongInput($"missing point id at `{at}`"),
    };

    /// <summary>A list of ids.</summary>
    public static List<PointId> Ids(RepeatedField<Q.PointId> ids, string at)
    {
        var list = new List<PointId>(ids.Count);
        for (int i = 0; i < ids.Count; i++) list.Add(Id(ids[i], $"{at}[{i}]"));
        return list;
    }

    /// <summary>The gRPC form of an id.</summary>
    public static Q.PointId ToGrpc(PointId id) => id.IsUuid ? new Q.PointId { Uuid = id.Uuid.ToString("D") } : new Q.PointId { Num = id.Number };

    /// <summary>The REST JSON form of a gRPC id (for filters); malformed ids are left to the filter parser to refuse.</summary>
    public static JsonNode? IdToJson(Q.PointId id) => id.PointIdOptionsCase switch
    {
        Q.PointId.PointIdOptionsOneofCase.Num => JsonValue.Create(id.Num),
        Q.PointId.PointIdOptionsOneofCase.Uuid => JsonValue.Create(id.Uuid),
        _ => null,
    };

    /// <summary>Validates and converts the points of an upsert; nothing is written when one of them is bad.</summary>
    public static List<PointRecord> Records(RepeatedField<Q.PointStruct> points, CollectionConfig config, int maxBatch)
    {
        if (points.Count > maxBatch) throw CollectionException.WrongInput($"too many points in one request: {points.Count} (max {maxBatch})");
        var records = new List<PointRecord>(points.Count);
        for (int i = 0; i < points.Count; i++)
        {
            string at = $"points[{i}]";
            var p = points[i];
            var id = Id(p.Id, at + ".id");
            if (p.Vectors is null) throw CollectionException.WrongInput($"missing field `vectors` at `{at}`");
            records.Add(PointVectors(p.Vectors, config, at + ".vectors").ToRecord(id, PayloadValues.ToPayload(p.Payload, at + ".payload")));
        }
        return records;
    }

    /// <summary>
    /// A point's vectors: the unnamed one, or named ones (any subset of the collection's names), checked as REST's
    /// <see cref="PointsReader.ReadPointVectors"/> checks them.
    /// </summary>
    public static VectorStruct PointVectors(Q.Vectors vectors, CollectionConfig config, string at)
    {
        switch (vectors.VectorsOptionsCase)
        {
            case Q.Vectors.VectorsOptionsOneofCase.Vector:
                return new VectorStruct(PointRecord.Unnamed(DenseOrMulti(vectors.Vector, config.Vector(""), at)), PointRecord.NoSparse);
            case Q.Vectors.VectorsOptionsOneofCase.Vectors_:
                var named = new Dictionary<string, float[]>(StringComparer.Ordinal);
                Dictionary<string, SparseVector>? sparse = null;
                foreach (var (name, vector) in vectors.Vectors_.Vectors)
                {
                    string path = name.Length == 0 ? at : $"{at}.{name}";
                    if (config.IsSparse(name)) (sparse ??= new Dictionary<string, SparseVector>(StringComparer.Ordinal))[name] = Sparse(vector, name, path);
                    else named[name] = DenseOrMulti(vector, config.Vector(name), path);
                }

                if (named.Count > 0 || sparse is not null || config.HasNamedVectors) return new VectorStruct(named, sparse ?? PointRecord.NoSparse);
                break;
        }
        throw CollectionException.WrongInput($"Vector dimension error: expected dim: {config.VectorSize}, got 0");
    }

    /// <summary>
    /// A point's vector for <paramref name="vector"/>: a dense one, or for a multivector the <c>multi_dense</c> oneof or
    /// the older flat <c>data</c> with <c>vectors_count</c> rows; flattened, checked as REST's
    /// <see cref="PointsReader.ReadDense"/> checks them (a plain vector for a multivector, or the reverse, is Qdrant's
    /// "Conversion between multi and regular vectors failed").
    /// </summary>
    public static float[] DenseOrMulti(Q.Vector vector, VectorParams vector0, string at)
    {
        bool multi = vector.VectorCase == Q.Vector.VectorOneofCase.MultiDense
            || (vector.VectorCase == Q.Vector.VectorOneofCase.None && vector.Indices is null && vector.HasVectorsCount);
        if (!vector0.Multivector)
        {
            if (multi) throw PointsReader.WrongMulti();
            return Dense(vector, vector0.Size, at);
        }

        if (!multi)
        {
            if (vector.VectorCase is Q.Vector.VectorOneofCase.Sparse || vector.Indices is not null) throw DenseExpected(at);
            throw PointsReader.WrongMulti();
        }

        int size = vector0.Size;
        if (vector.VectorCase == Q.Vector.VectorOneofCase.MultiDense)
        {
            var rows = vector.MultiDense.Vectors;
            if (rows.Count == 0) throw CollectionException.WrongInput($"Vector dimension error: expected dim: {size}, got 0");
            int first = rows[0].Data.Count;
            foreach (var row in rows)
            {
                if (row.Data.Count == 0) throw CollectionException.Validation(at + ".data", "all vectors must be non-empty");
                if (row.Data.Count != first) throw CollectionException.Validation(at + ".data", $"all vectors must have the same dimension, found vector with dimension {row.Data.Count}");
            }

            if (first != size) throw CollectionException.WrongInput($"Vector dimension error: expected dim: {size}, got {first}");
            var flat = new float[rows.Count * size];
            for (int r = 0; r < rows.Count; r++) Checked(rows[r].Data, size, $"{at}[{r}]").CopyTo(flat, r * size);
            return flat;
        }

        uint count = vector.VectorsCount;
        var data = vector.Data;
        if (count == 0 || data.Count == 0) throw CollectionException.WrongInput($"Vector dimension error: expected dim: {size}, got 0");
        if (data.Count % count != 0)
            throw CollectionException.Validation(at + ".data", $"all vectors must have the same dimension, found {data.Count} numbers for {count} vectors");
        if (data.Count / count != size) throw CollectionException.WrongInput($"Vector dimension error: expected dim: {size}, got {data.Count / count}");
        var values = new float[data.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = data[i];
            if (!float.IsFinite(values[i]))
                throw CollectionException.WrongInput($"vector component {values[i]} at `{at}[{i}]` is not a finite 32-bit float (NaN and Infinity are not allowed)");
        }

        return values;
    }

    /// <summary>A dense vector; sparse, multi-vector and inference inputs are refused as REST refuses them.</summary>
    public static float[] Dense(Q.Vector vector, int dimension, string at)
    {
        var data = vector.VectorCase switch
        {
            Q.Vector.VectorOneofCase.Dense => vector.Dense.Data,
            Q.Vector.VectorOneofCase.None when vector.Indices is null && !vector.HasVectorsCount => vector.Data,
            Q.Vector.VectorOneofCase.Sparse => throw DenseExpected(at),
            Q.Vector.VectorOneofCase.None when vector.Indices is not null => throw DenseExpected(at),
            _ => throw CollectionException.WrongInput($"only dense and sparse vectors are supported by this node (at `{at}`)"),
        };
        return Checked(data, dimension, at);
    }

    private static CollectionException DenseExpected(string at) =>
        CollectionException.WrongInput($"`{at}`: the vector is dense, expected a list of numbers, got a sparse vector");

    /// <summary>
    /// A sparse vector of the vector <paramref name="name"/>: the <c>sparse</c> oneof, or the older <c>indices</c> with
    /// <c>data</c>; validated and sorted as REST's <see cref="PointsReader.ReadSparse"/> does.
    /// </summary>
    public static SparseVector Sparse(Q.Vector vector, string name, string at)
    {
        (IReadOnlyList<uint> indices, IReadOnlyList<float> values) = vector.VectorCase switch
        {
            Q.Vector.VectorOneofCase.Sparse => (vector.Sparse.Indices, vector.Sparse.Values),
            Q.Vector.VectorOneofCase.None when vector.Indices is not null => ((IReadOnlyList<uint>)vector.Indices.Data, (IReadOnlyList<float>)vector.Data),
            _ => throw CollectionException.WrongInput($"`{at}`: vector `{name}` is sparse, expected indices and values"),
        };
        return Sparse(indices, values, at);
    }

    /// <summary>A sparse vector from ids and weights, validated (same lengths, unique ids, finite weights) and sorted.</summary>
    public static SparseVector Sparse(IReadOnlyList<uint> indices, IReadOnlyList<float> values, string at)
    {
        var ids = new uint[indices.Count];
        for (int i = 0; i < ids.Length; i++) ids[i] = indices[i];
        var weights = new float[values.Count];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = values[i];
            if (!float.IsFinite(weights[i]))
                throw CollectionException.WrongInput($"vector component {weights[i]} at `{at}.values[{i}]` is not a finite 32-bit float (NaN and Infinity are not allowed)");
        }

        return PointsReader.CheckedSparse(ids, weights, at);
    }

    /// <summary>Exactly <paramref name="dimension"/> finite numbers, copied.</summary>
    public static float[] Checked(IReadOnlyList<float> data, int dimension, string at)
    {
        if (data.Count != dimension) throw CollectionException.WrongInput($"Vector dimension error: expected dim: {dimension}, got {data.Count}");
        var vector = new float[data.Count];
        for (int i = 0; i < vector.Length; i++)
        {
            float f = data[i];
            if (!float.IsFinite(f))
                throw CollectionException.WrongInput($"vector component {f} at `{at}[{i}]` is not a finite 32-bit float (NaN and Infinity are not allowed)");
            vector[i] = f;
        }
        return vector;
    }

    /// <summary>An optional vector name (absent: the unnamed one, <c>""</c>); 400 when the collection has no such vector.</summary>
    public static string VectorName(string? name, CollectionConfig config)
    {
        name ??= "";
        config.RequireVectorName(name);
        return name;
    }

    /// <summary><c>with_payload</c>; <paramref name="fallback"/> when absent.</summary>
    public static PayloadSelector Payload(Q.WithPayloadSelector? selector, PayloadSelector fallback) => selector?.SelectorOptionsCase switch
    {
        Q.WithPayloadSelector.SelectorOptionsOneofCase.Enable => selector.Enable ? PayloadSelector.All : PayloadSelector.None,
        Q.WithPayloadSelector.SelectorOptionsOneofCase.Include => PayloadSelector.FromKeys(selector.Include.Fields, exclude: false, "with_payload.include"),
        Q.WithPayloadSelector.SelectorOptionsOneofCase.Exclude => PayloadSelector.FromKeys(selector.Exclude.Fields, exclude: true, "with_payload.exclude"),
        _ => fallback,
    };

    /// <summary><c>with_vectors</c>: true (all), or the names in <c>include</c> (each must exist).</summary>
    public static WithVectors WithVectors(Q.WithVectorsSelector? selector, CollectionConfig config)
    {
        switch (selector?.SelectorOptionsCase)
        {
            case Q.WithVectorsSelector.SelectorOptionsOneofCase.Enable:
                return selector.Enable;
            case Q.WithVectorsSelector.SelectorOptionsOneofCase.Include when selector.Include.Names.Count > 0:
                foreach (var name in selector.Include.Names) config.RequireVectorName(name);
                return new WithVectors(true, [.. selector.Include.Names]);
            default:
                return Collections.WithVectors.None;
        }
    }

    /// <summary>The read consistency of a request (default: one replica per shard).</summary>
    public static ReadConsistency Consistency(Q.ReadConsistency? consistency) => consistency?.ValueCase switch
    {
        Q.ReadConsistency.ValueOneofCase.Factor when consistency.Factor is >= 1 and <= int.MaxValue => new ReadConsistency(ReadConsistencyKind.Factor, (int)consistency.Factor),
        Q.ReadConsistency.ValueOneofCase.Factor => throw new CollectionException(400, $"Bad request: invalid consistency `{consistency.Factor}`: expected a positive integer, `majority`, `quorum` or `all`"),
        Q.ReadConsistency.ValueOneofCase.Type => consistency.Type switch
        {
            Q.ReadConsistencyType.All => new ReadConsistency(ReadConsistencyKind.All, 0),
            Q.ReadConsistencyType.Majority => new ReadConsistency(ReadConsistencyKind.Majority, 0),
            Q.ReadConsistencyType.Quorum => new ReadConsistency(ReadConsistencyKind.Quorum, 0),
            var other => throw new CollectionException(400, $"Bad request: invalid consistency `{other}`"),
        },
        _ => ReadConsistency.Default,
    };

    /// <summary>The write ordering of a request (default: weak).</summary>
    public static WriteOrdering Ordering(Q.WriteOrdering? ordering) => ordering?.Type switch
    {
        null or Q.WriteOrderingType.Weak => WriteOrdering.Weak,
        Q.WriteOrderingType.Medium => WriteOrdering.Medium,
        Q.WriteOrderingType.Strong => WriteOrdering.Strong,
        var other => throw new CollectionException(400, $"Bad request: unknown write ordering `{other}`, expected one of `weak`, `medium`, `strong`"),
    };

    /// <summary>A point as <c>RetrievedPoint</c>.</summary>
    public static Q.RetrievedPoint Retrieved(PointView p, PayloadSelector payload, CollectionConfig? config = null)
    {
        var point = new Q.RetrievedPoint { Id = ToGrpc(p.Id) };
        if (payload.Enabled && p.Payload is { } pl) PayloadValues.CopyTo(payload.Select(pl), point.Payload);
        if (p.Vectors is { } v) point.Vectors = VectorOutput(v, p.Sparse, config);
        if (p.OrderValue is { } order) point.OrderValue = OrderValue(order);
        if (p.ShardKey is { } key) point.ShardKey = GrpcShardKeys.ToGrpc(key);
        return point;
    }

    /// <summary>The payload value a point was ordered by (<c>order_by</c>), as <c>OrderValue</c>.</summary>
    public static Q.OrderValue OrderValue(OrderValue value) =>
        value.Integer ? new Q.OrderValue { Int = (long)value.Value } : new Q.OrderValue { Float = value.Value };

    /// <summary>A hit as <c>ScoredPoint</c>.</summary>
    public static Q.ScoredPoint Scored(PointView p, PayloadSelector payload, CollectionConfig? config = null)
    {
        var point = new Q.ScoredPoint { Id = ToGrpc(p.Id), Score = p.Score ?? 0f, Version = p.Version };
        if (payload.Enabled && p.Payload is { } pl) PayloadValues.CopyTo(payload.Select(pl), point.Payload);
        if (p.Vectors is { } v) point.Vectors = VectorOutput(v, p.Sparse, config);
        if (p.OrderValue is { } order) point.OrderValue = OrderValue(order);
        if (p.ShardKey is { } key) point.ShardKey = GrpcShardKeys.ToGrpc(key);
        return point;
    }

    /// <summary>The hits of one search of the collection <paramref name="config"/> describes.</summary>
    public static void AddScored(RepeatedField<Q.ScoredPoint> into, List<PointView> hits, PayloadSelector payload, CollectionConfig? config = null)
    {
        foreach (var hit in hits) into.Add(Scored(hit, payload, config));
    }

    /// <summary>An update's result.</summary>
    public static Q.UpdateResult Update(UpdateResult result) => new()
    {
        OperationId = result.OperationId,
        Status = result.Status == UpdateStatus.Completed ? Q.UpdateStatus.Completed : Q.UpdateStatus.Acknowledged,
    };

    /// <summary>The unnamed vector alone as <c>vector</c>, named ones as the <c>vectors</c> map (as Qdrant answers).</summary>
    private static Q.VectorsOutput VectorOutput(IReadOnlyDictionary<string, float[]> vectors, IReadOnlyDictionary<string, SparseVector>? sparse, CollectionConfig? config)
    {
        if (vectors.Count == 1 && vectors.TryGetValue("", out var unnamed) && sparse is not { Count: > 0 })
            return new Q.VectorsOutput { Vector = Dense(unnamed, config?.MultivectorRowSize("") ?? 0) };
        var named = new Q.NamedVectorsOutput();
        foreach (var (name, v) in vectors) named.Vectors[name] = Dense(v, config?.MultivectorRowSize(name) ?? 0);
        if (sparse is not null)
        {
            foreach (var (name, v) in sparse)
            {
                var output = new Q.SparseVector();
                output.Indices.Add(v.Indices);
                output.Values.Add(v.Values);
                named.Vectors[name] = new Q.VectorOutput { Sparse = output };
            }
        }

        return new Q.VectorsOutput { Vectors = named };
    }

    /// <summary>A dense vector, or with <paramref name="rowSize"/> a multivector as <c>multi_dense</c> rows of that size.</summary>
    private static Q.VectorOutput Dense(float[] v, int rowSize)
    {
        if (rowSize > 0)
        {
            var multi = new Q.MultiDenseVector();
            for (int r = 0; r + rowSize <= v.Length; r += rowSize)
            {
                var row = new Q.DenseVector();
                row.Data.Add(v.AsSpan(r, rowSize).ToArray());
                multi.Vectors.Add(row);
            }

            return new Q.VectorOutput { MultiDense = multi };
        }

        var dense = new Q.DenseVector();
        dense.Data.Add(v);
        return new Q.VectorOutput { Dense = dense };
    }
}
