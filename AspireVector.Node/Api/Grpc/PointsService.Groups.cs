using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Api.Rest;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using PayloadKey = AspireVector.Node.Filters.PayloadKey;
using AspireVector.Node.Points;
using Q = Qdrant.Client.Grpc;

namespace AspireVector.Node.Api.Grpc;

public static partial class PointsService
{
    /// <summary>SearchGroups, RecommendGroups and QueryGroups: the ranked reads grouped as REST's <see cref="GroupsApi"/> groups them.</summary>
    private static QdrantGrpcMethods MapGroups(this QdrantGrpcMethods methods, TableOfContents toc, NodeOptions o)
    {
        methods.Unary<Q.SearchPointGroups, Q.SearchGroupsResponse>(Service, "SearchGroups", r => CollectionsService.Read(r.CollectionName), async (r, ct) =>
        {
            var c = toc.Get(r.CollectionName);
            using var shardScope = GrpcShardKeys.Enter(c, r.ShardKeySelector);
            string name = GrpcPoints.VectorName(r.HasVectorName ? r.VectorName : null, c.Config);
            if (r.SparseIndices is not null) throw CollectionException.WrongInput("only dense vectors are supported by this node (at `sparse_indices`)");
            var search = Request(GrpcPoints.Checked(r.Vector, c.Config.Vector(name).Size, "vector"), name, c.Config, r.Limit, 0, r.HasScoreThreshold ? r.ScoreThreshold : null,
                r.Filter, r.Params, r.WithVectors, o);
            var read = GrpcPoints.Consistency(r.ReadConsistency);
            var request = new RankedRequest((l, off, token) => c.SearchAsync(search.Page(l, off), null, read, token), search.Limit, 0,
                GrpcPoints.Payload(r.WithPayload, PayloadSelector.None));
            return new Q.SearchGroupsResponse { Result = await GroupsAsync(toc, c.Config, request, r.GroupBy, r.GroupSize, r.WithLookup, r.ReadConsistency, o, ct).ConfigureAwait(false) };
        });
        methods.Unary<Q.RecommendPointGroups, Q.RecommendGroupsResponse>(Service, "RecommendGroups", r => CollectionsService.Read(r.CollectionName), async (r, ct) =>
        {
            var recommend = new Q.RecommendPoints
            {
                CollectionName = r.CollectionName, Filter = r.Filter, Limit = r.Limit, WithPayload = r.WithPayload, Params = r.Params, WithVectors = r.WithVectors,
                LookupFrom = r.LookupFrom, ReadConsistency = r.ReadConsistency, ShardKeySelector = r.ShardKeySelector,
                Positive = { r.Positive }, Negative = { r.Negative }, PositiveVectors = { r.PositiveVectors }, NegativeVectors = { r.NegativeVectors },
            };
            if (r.HasScoreThreshold) recommend.ScoreThreshold = r.ScoreThreshold;
            if (r.HasUsing) recommend.Using = r.Using;
            if (r.HasStrategy) recommend.Strategy = r.Strategy;
            var c = toc.Get(r.CollectionName);
            var request = Recommend(toc, c, recommend, r.ReadConsistency, o);
            return new Q.RecommendGroupsResponse { Result = await GroupsAsync(toc, c.Config, request, r.GroupBy, r.GroupSize, r.WithLookup, r.ReadConsistency, o, ct).ConfigureAwait(false) };
        });
        methods.Unary<Q.QueryPointGroups, Q.QueryGroupsResponse>(Service, "QueryGroups", r => CollectionsService.Read(r.CollectionName), async (r, ct) =>
        {
            var c = toc.Get(r.CollectionName);
            using var shardScope = GrpcShardKeys.Enter(c, r.ShardKeySelector);
            var request = await QueryRankingAsync(toc, c, GrpcQueries.ToJson(r), r.WithPayload, r.ReadConsistency, o, ct).ConfigureAwait(false);
            long size = r.HasGroupSize ? (long)Math.Min(r.GroupSize, long.MaxValue) : 3;
            return new Q.QueryGroupsResponse { Result = await GroupsAsync(toc, c.Config, request, r.GroupBy, size, r.WithLookup, r.ReadConsistency, o, ct).ConfigureAwait(false) };
        });
        return methods;
    }

    /// <summary>Groups the hits of <paramref name="request"/> by <paramref name="groupBy"/>, with the looked-up points when asked.</summary>
    private static async Task<Q.GroupsResult> GroupsAsync(TableOfContents toc, CollectionConfig config, RankedRequest request, string groupBy, long groupSize, Q.WithLookup? withLookup,
        Q.ReadConsistency? consistency, NodeOptions o, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(groupBy)) throw CollectionException.BadJson("missing field `group_by` (expected a payload key)");
        if (!PayloadKey.TryParse(groupBy, out var key, out var keyError)) throw CollectionException.WrongInput("group_by: " + keyError);
        int size = PointsReader.CheckCount(groupSize, "group_size", 1, o.Service.MaxSearchLimit);
        var lookup = withLookup is null ? null : toc.Get(withLookup.Collection);
        var groups = await PointGroups.GroupAsync(request.Fetch, key!, request.Limit, size, o.Service.MaxSearchLimit, ct).ConfigureAwait(false);
        var found = new Dictionary<PointId, PointView>();
        if (lookup is not null)
        {
            var ids = new List<PointId>();
            foreach (var g in groups) if (LookupId(g.Id) is { } id) ids.Add(id);
            var points = await lookup.RetrieveAsync(ids, GrpcPoints.WithVectors(withLookup!.WithVectors, lookup.Config), GrpcPoints.Consistency(consistency), ct).ConfigureAwait(false);
            foreach (var p in points) found[p.Id] = p;
        }

        var lookupPayload = GrpcPoints.Payload(withLookup?.WithPayload, PayloadSelector.All);
        var result = new Q.GroupsResult();
        foreach (var g in groups)
        {
            var group = new Q.PointGroup { Id = GroupId(g.Id) };
            GrpcPoints.AddScored(group.Hits, g.Hits, request.Payload, config);
            if (LookupId(g.Id) is { } id && found.TryGetValue(id, out var point)) group.Lookup = GrpcPoints.Retrieved(point, lookupPayload, lookup?.Config);
            result.Groups.Add(group);
        }
        return result;
    }

    /// <summary>A group value as Qdrant's <c>GroupId</c>: non-negative integers unsigned, as Qdrant reads them.</summary>
    private static Q.GroupId GroupId(JsonNode value) => value.GetValueKind() == JsonValueKind.String
        ? new Q.GroupId { StringValue = value.GetValue<string>() }
        : value.AsValue().TryGetValue(out long n) && n < 0 ? new Q.GroupId { IntegerValue = n } : new Q.GroupId { UnsignedValue = ulong.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>The point id a group value names, if it is one (an unsigned integer or a uuid).</summary>
    private static PointId? LookupId(JsonNode value)
    {
        using var doc = JsonDocument.Parse(value.ToJsonString());
        return PointId.TryParse(doc.RootElement, out var id, out _) ? id : null;
    }
}
