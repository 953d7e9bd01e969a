using AspireVector.Node.Collections;
using Google.Protobuf.Collections;
using Q = Qdrant.Client.Grpc;

namespace AspireVector.Node.Api.Grpc;

/// <summary>
/// Recommend and discover examples between Qdrant's gRPC messages and the node's types: point ids or dense vectors;
/// sparse, multi-vector and inference inputs are refused as REST refuses them.
/// </summary>
public static class GrpcExamples
{
    /// <summary>The examples of a recommend request: ids first, then raw vectors, as Qdrant joins them.</summary>
    public static List<RecommendExample> Recommend(RepeatedField<Q.PointId> ids, RepeatedField<Q.Vector> vectors, int dimension, string at)
    {
        var list = new List<RecommendExample>(ids.Count + vectors.Count);
        for (int i = 0; i < ids.Count; i++) list.Add(new RecommendExample(GrpcPoints.Id(ids[i], $"{at}[{i}]"), null));
        for (int i = 0; i < vectors.Count; i++) list.Add(new RecommendExample(null, GrpcPoints.Dense(vectors[i], dimension, $"{at}_vectors[{i}]")));
        return list;
    }

    /// <summary><c>strategy</c> (default <c>average_vector</c>).</summary>
    public static RecommendStrategy Strategy(bool has, Q.RecommendStrategy strategy) => !has ? RecommendStrategy.AverageVector : strategy switch
    {
        Q.RecommendStrategy.AverageVector => RecommendStrategy.AverageVector,
        Q.RecommendStrategy.BestScore => RecommendStrategy.BestScore,
        Q.RecommendStrategy.SumScores => RecommendStrategy.SumScores,
        var other => throw CollectionException.BadJson($"unknown variant `{other}`, expected one of `average_vector`, `best_score`, `sum_scores` at `strategy`"),
    };

    /// <summary>A discover request's example: a point id or a vector.</summary>
    public static RecommendExample Example(Q.VectorExample? example, int dimension, string at) => example?.ExampleCase switch
    {
        Q.VectorExample.ExampleOneofCase.Id => new RecommendExample(GrpcPoints.Id(example.Id, at), null),
        Q.VectorExample.ExampleOneofCase.Vector => new RecommendExample(null, GrpcPoints.Dense(example.Vector, dimension, at)),
        _ => throw CollectionException.BadJson($"missing example at `{at}` (expected a point id or a vector)"),
    };

    /// <summary>A query's vector input: a point id or a dense vector.</summary>
    public static RecommendExample Example(Q.VectorInput? input, int dimension, string at) => input?.VariantCase switch
    {
        Q.VectorInput.VariantOneofCase.Id => new RecommendExample(GrpcPoints.Id(input.Id, at), null),
        Q.VectorInput.VariantOneofCase.Dense => new RecommendExample(null, GrpcPoints.Checked(input.Dense.Data, dimension, at)),
        null or Q.VectorInput.VariantOneofCase.None => throw CollectionException.BadJson($"missing vector input at `{at}` (expected a point id or a dense vector)"),
        _ => throw CollectionException.WrongInput($"`{at}`: sparse, multi-vector and inference inputs are not supported by this node (examples and targets are dense vectors or point ids)"),
    };

    /// <summary>The inputs of a query's recommend.</summary>
    public static List<RecommendExample> Examples(RepeatedField<Q.VectorInput> inputs, int dimension, string at)
    {
        var list = new List<RecommendExample>(inputs.Count);
        for (int i = 0; i < inputs.Count; i++) list.Add(Example(inputs[i], dimension, $"{at}[{i}]"));
        return list;
    }

    /// <summary>A discover request's context pairs.</summary>
    public static List<ContextExamplePair> Pairs(RepeatedField<Q.ContextExamplePair> pairs, int dimension, string at)
    {
        var list = new List<ContextExamplePair>(pairs.Count);
        for (int i = 0; i < pairs.Count; i++)
            list.Add(new ContextExamplePair(Example(pairs[i].Positive, dimension, $"{at}[{i}].positive"), Example(pairs[i].Negative, dimension, $"{at}[{i}].negative")));
        return list;
    }

    /// <summary>A query's context pairs (none when absent).</summary>
    public static List<ContextExamplePair> Pairs(Q.ContextInput? context, int dimension, string at)
    {
        var list = new List<ContextExamplePair>();
        if (context is null) return list;
        for (int i = 0; i < context.Pairs.Count; i++)
        {
            var pair = context.Pairs[i];
            list.Add(new ContextExamplePair(Example(pair.Positive, dimension, $"{at}[{i}].positive"), Example(pair.Negative, dimension, $"{at}[{i}].negative")));
        }
        return list;
    }
}
