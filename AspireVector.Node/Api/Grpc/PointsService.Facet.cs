using System.Text.Json;
using AspireVector.Node.Api.Rest;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.Points;
using Q = Qdrant.Client.Grpc;

namespace AspireVector.Node.Api.Grpc;

public static partial class PointsService
{
    /// <summary>Facet, SearchMatrixPairs and SearchMatrixOffsets, as REST's <see cref="FacetApi"/> and <see cref="MatrixApi"/> serve them.</summary>
    private static QdrantGrpcMethods MapFacets(this QdrantGrpcMethods methods, TableOfContents toc, NodeOptions o)
    {
        methods.Unary<Q.FacetCounts, Q.FacetResponse>(Service, "Facet", r => CollectionsService.Read(r.CollectionName), async (r, ct) =>
        {
            var c = toc.Get(r.CollectionName);
            using var shardScope = GrpcShardKeys.Enter(c, r.ShardKeySelector);
            if (string.IsNullOrEmpty(r.Key)) throw CollectionException.BadJson("missing field `key` (expected a payload key)");
            int limit = r.HasLimit ? PointsReader.CheckCount((long)Math.Min(r.Limit, long.MaxValue), "limit", 1, o.Service.MaxSearchLimit) : 10;
            // Counts are always exact here, whatever `exact` asks.
            var hits = await c.FacetAsync(r.Key, GrpcFilters.Read(r.Filter), limit, GrpcPoints.Consistency(r.ReadConsistency), ct).ConfigureAwait(false);
            var response = new Q.FacetResponse();
            foreach (var hit in hits) response.Hits.Add(new Q.FacetHit { Value = FacetValue(hit.Value), Count = (ulong)hit.Count });
            return response;
        });
        methods.Unary<Q.SearchMatrixPoints, Q.SearchMatrixPairsResponse>(Service, "SearchMatrixPairs", r => CollectionsService.Read(r.CollectionName), async (r, ct) =>
        {
            var (ids, nearest) = await MatrixAsync(toc, r, o, ct).ConfigureAwait(false);
            var pairs = new Q.SearchMatrixPairs();
            for (int row = 0; row < ids.Count; row++)
            {
                foreach (var (b, score) in nearest[row]) pairs.Pairs.Add(new Q.SearchMatrixPair { A = GrpcPoints.ToGrpc(ids[row]), B = GrpcPoints.ToGrpc(b), Score = score });
            }
            return new Q.SearchMatrixPairsResponse { Result = pairs };
        });
        methods.Unary<Q.SearchMatrixPoints, Q.SearchMatrixOffsetsResponse>(Service, "SearchMatrixOffsets", r => CollectionsService.Read(r.CollectionName), async (r, ct) =>
        {
            var (ids, nearest) = await MatrixAsync(toc, r, o, ct).ConfigureAwait(false);
            var column = new Dictionary<PointId, int>(ids.Count);
            for (int i = 0; i < ids.Count; i++) column[ids[i]] = i;
            var offsets = new Q.SearchMatrixOffsets();
            for (int row = 0; row < ids.Count; row++)
            {
                foreach (var (b, score) in nearest[row])
                {
                    offsets.OffsetsRow.Add((ulong)row);
                    offsets.OffsetsCol.Add((ulong)column[b]);
                    offsets.Scores.Add(score);
                }
            }
            foreach (var id in ids) offsets.Ids.Add(GrpcPoints.ToGrpc(id));
            return new Q.SearchMatrixOffsetsResponse { Result = offsets };
        });
        return methods;
    }

    private static Task<(List<PointId> Ids, List<List<(PointId Id, float Score)>> Nearest)> MatrixAsync(TableOfContents toc, Q.SearchMatrixPoints r, NodeOptions o, CancellationToken ct)
    {
        var c = toc.Get(r.CollectionName);
        using var shardScope = GrpcShardKeys.Enter(c, r.ShardKeySelector);
        string name = GrpcPoints.VectorName(r.HasUsing ? r.Using : null, c.Config);
        int sample = r.HasSample ? PointsReader.CheckCount((long)Math.Min(r.Sample, long.MaxValue), "sample", 1, o.Service.MaxSearchLimit) : 10;
        if (sample < 2) throw CollectionException.Validation("sample", $"value {sample} invalid, must be 2 or greater");
        int limit = r.HasLimit ? PointsReader.CheckCount((long)Math.Min(r.Limit, long.MaxValue), "limit", 1, o.Service.MaxSearchLimit) : 3;
        return c.DistanceMatrixAsync(sample, limit, GrpcFilters.Read(r.Filter), Random.Shared, GrpcPoints.Consistency(r.ReadConsistency), ct, name);
    }

    /// <summary>A facet value (JSON text of a string, an integer or a boolean) as <c>FacetValue</c>.</summary>
    private static Q.FacetValue FacetValue(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var e = doc.RootElement;
        return e.ValueKind switch
        {
            JsonValueKind.String => new Q.FacetValue { StringValue = e.GetString() },
            JsonValueKind.True or JsonValueKind.False => new Q.FacetValue { BoolValue = e.GetBoolean() },
            _ => new Q.FacetValue { IntegerValue = e.GetInt64() },
        };
    }
}
