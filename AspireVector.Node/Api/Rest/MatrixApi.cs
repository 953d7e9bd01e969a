using System.Diagnostics;
using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;

namespace AspireVector.Node.Api.Rest;

/// <summary>Qdrant's distance matrix endpoints: <c>points/search/matrix/pairs</c> and <c>points/search/matrix/offsets</c>.</summary>
public static class MatrixApi
{
    /// <summary>Maps the matrix endpoints.</summary>
    public static IEndpointRouteBuilder MapMatrixApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/collections/{name}/points/search/matrix/pairs", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) => Matrix(name, ctx, toc, o, WritePairs));
        app.MapPost("/collections/{name}/points/search/matrix/offsets", (string name, HttpContext ctx, TableOfContents toc, NodeOptions o) => Matrix(name, ctx, toc, o, WriteOffsets));
        return app;
    }

    private static async Task<IResult> Matrix(string name, HttpContext ctx, TableOfContents toc, NodeOptions o,
        Action<Utf8JsonWriter, List<Points.PointId>, List<List<(Points.PointId Id, float Score)>>> write)
    {
        long t = Stopwatch.GetTimestamp();
        var c = toc.Get(name);
        int sample, limit;
        QueryFilter? filter;
        string vectorName;
        Sharding.ShardKeySelector? selector;
        using (var body = await RequestBody.ReadAsync(ctx, o))
        {
            var root = body.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("expected a JSON object as the request body");
            vectorName = SearchRequestReader.Using(root, c.Config);
            sample = PointsReader.ReadLimitNamed(root, "sample", 10, o.Service.MaxSearchLimit);
            if (sample < 2) throw CollectionException.Validation("sample", $"value {sample} invalid, must be 2 or greater");
            limit = PointsReader.ReadLimit(root, 3, o.Service.MaxSearchLimit);
            filter = FilterBinding.Read(root);
            selector = Sharding.ShardKeySelector.Read(root);
        }

        using var scope = Sharding.ShardKeyScope.Enter(c.Name, selector);
        var (ids, nearest) = await c.DistanceMatrixAsync(sample, limit, filter, Random.Shared, ReadConsistencyParam.Read(ctx), ctx.RequestAborted, vectorName);
        return QdrantResponse.Ok(t, w => write(w, ids, nearest));
    }

    private static void WritePairs(Utf8JsonWriter w, List<Points.PointId> ids, List<List<(Points.PointId Id, float Score)>> nearest)
    {
        w.WriteStartObject();
        w.WriteStartArray("pairs");
        for (int row = 0; row < ids.Count; row++)
        {
            foreach (var (b, score) in nearest[row])
            {
                w.WriteStartObject();
                w.WritePropertyName("a");
                ids[row].WriteTo(w);
                w.WritePropertyName("b");
                b.WriteTo(w);
                w.WriteNumber("score", score);
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteOffsets(Utf8JsonWriter w, List<Points.PointId> ids, List<List<(Points.PointId Id, float Score)>> nearest)
    {
        var column = new Dictionary<Points.PointId, int>(ids.Count);
        for (int i = 0; i < ids.Count; i++) column[ids[i]] = i;
        w.WriteStartObject();
        w.WriteStartArray("offsets_row");
        for (int row = 0; row < ids.Count; row++) foreach (var _ in nearest[row]) w.WriteNumberValue(row);
        w.WriteEndArray();
        w.WriteStartArray("offsets_col");
        foreach (var r in nearest) foreach (var (b, _) in r) w.WriteNumberValue(column[b]);
        w.WriteEndArray();
        w.WriteStartArray("scores");
        foreach (var r in nearest) foreach (var (_, score) in r) w.WriteNumberValue(score);
        w.WriteEndArray();
        w.WriteStartArray("ids");
        foreach (var id in ids) id.WriteTo(w);
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
