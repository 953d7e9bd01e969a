using System.Text.Json.Nodes;
using AspireVector.Node.Api.Rest;
using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using Q = Qdrant.Client.Grpc;

namespace AspireVector.Node.Api.Grpc;

public static partial class PointsService
{
    /// <summary>
    /// A query (<c>QueryPoints</c> or <c>QueryPointGroups</c>, see <see cref="GrpcQueries"/>) read by REST's
    /// <see cref="QueryReader"/>: prefetches, fusion, order_by, sample, lookup_from and every vector query, with gRPC's
    /// <c>with_payload</c>.
    /// </summary>
    private static async Task<RankedRequest> QueryRankingAsync(TableOfContents toc, Collection c, JsonObject query, Q.WithPayloadSelector? withPayload,
        Q.ReadConsistency? consistency, NodeOptions o, CancellationToken ct)
    {
        using var body = GrpcQueries.Document(query);
        var request = await QueryReader.ReadAsync(c, body.RootElement, o, toc, GrpcPoints.Consistency(consistency), ct).ConfigureAwait(false);
        return request with { Payload = GrpcPoints.Payload(withPayload, PayloadSelector.None) };
    }
}
