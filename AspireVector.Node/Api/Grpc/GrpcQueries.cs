using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Api.Rest;
using AspireVector.Node.Collections;
using Google.Protobuf.Collections;
using Q = Qdrant.Client.Grpc;

namespace AspireVector.Node.Api.Grpc;

/// <summary>
/// Qdrant's gRPC universal query (<c>QueryPoints</c>, <c>QueryPointGroups</c>, their prefetches and queries) in
/// REST's JSON shape, read by the one query reader REST uses (<see cref="QueryReader"/>), as <see cref="GrpcFilters"/>
/// does for filters: both APIs accept, refuse and answer exactly the same queries.
/// </summary>
/// <remarks>
/// Only the shape is translated here; every value (dimensions, names, limits, ids) is checked by the REST reader.
/// <c>with_payload</c> is left out: the caller applies gRPC's own selector to the result.
/// </remarks>
public static class GrpcQueries
{
    /// <summary>
    /// The REST body <paramref name="json"/> as a document for REST's readers; 400 when a number in it (NaN or
    /// Infinity, which protobuf floats can hold) has no JSON form.
    /// </summary>
    public static JsonDocument Document(JsonObject json)
    {
        try
        {
            return JsonSerializer.SerializeToDocument(json);
        }
        catch (ArgumentException e)
        {
            throw CollectionException.BadJson("the request holds a number JSON cannot carry (NaN or Infinity): " + e.Message);
        }
    }

    /// <summary>A <c>QueryPoints</c> as REST's <c>QueryRequest</c>.</summary>
    public static JsonObject ToJson(Q.QueryPoints r)
    {
        var json = Stage(r.Prefetch, r.Query, r.HasUsing ? r.Using : null, r.Filter, r.Params, r.HasScoreThreshold ? r.ScoreThreshold : null,
            r.HasLimit ? r.Limit : null, r.LookupFrom, "");
        if (r.HasOffset) json["offset"] = r.Offset;
        if (r.WithVectors is { } withVectors) json["with_vector"] = WithVectors(withVectors);
        return json;
    }

    /// <summary>A <c>QueryPointGroups</c> as REST's <c>QueryGroupsRequest</c>, without its grouping fields.</summary>
    public static JsonObject ToJson(Q.QueryPointGroups r)
    {
        var json = Stage(r.Prefetch, r.Query, r.HasUsing ? r.Using : null, r.Filter, r.Params, r.HasScoreThreshold ? r.ScoreThreshold : null,
            r.HasLimit ? r.Limit : null, r.LookupFrom, "");
        if (r.WithVectors is { } withVectors) json["with_vector"] = WithVectors(withVectors);
        return json;
    }

    /// <summary>The fields a request shares with its prefetches.</summary>
    private static JsonObject Stage(RepeatedField<Q.PrefetchQuery> prefetch, Q.Query? query, string? usingName, Q.Filter? filter, Q.SearchParams? p,
        float? threshold, ulong? limit, Q.LookupLocation? lookup, string at)
    {
        var json = new JsonObject();
        if (prefetch.Count > 0)
        {
            var list = new JsonArray();
            for (int i = 0; i < prefetch.Count; i++) list.Add(Prefetch(prefetch[i], $"{at}prefetch[{i}]"));
            json["prefetch"] = list;
        }

        if (query is not null) json["query"] = Query(query, at + "query");
        if (usingName is not null) json["using"] = usingName;
        if (filter is not null) json["filter"] = GrpcFilters.ToJson(filter, at + "filter");
        if (p is not null) json["params"] = Params(p);
        if (threshold is { } t)
        {
            if (!float.IsFinite(t)) throw CollectionException.BadJson($"invalid type for `{at}score_threshold`: expected a number, got {t}");
            json["score_threshold"] = t;
        }

        if (limit is { } l) json["limit"] = l;
        if (lookup is not null) json["lookup_from"] = Lookup(lookup);
        return json;
    }

    private static JsonObject Prefetch(Q.PrefetchQuery p, string at) =>
        Stage(p.Prefetch, p.Query, p.HasUsing ? p.Using : null, p.Filter, p.Params, p.HasScoreThreshold ? p.ScoreThreshold : null, p.HasLimit ? p.Limit : null,
            p.LookupFrom, at + ".");

    /// <summary>A <c>Query</c> as REST's <c>QueryInterface</c>.</summary>
    public static JsonNode Query(Q.Query q, string at) => q.VariantCase switch
    {
        Q.Query.VariantOneofCase.Nearest => new JsonObject { ["nearest"] = VectorInput(q.Nearest, at + ".nearest") },
        Q.Query.VariantOneofCase.NearestWithMmr => new JsonObject
        {
            ["nearest"] = VectorInput(q.NearestWithMmr.Nearest, at + ".nearest_with_mmr.nearest"),
            ["mmr"] = Mmr(q.NearestWithMmr.Mmr, at + ".nearest_with_mmr.mmr"),
        },
        Q.Query.VariantOneofCase.Recommend => new JsonObject
        {
            ["recommend"] = new JsonObject
            {
                ["positive"] = VectorInputs(q.Recommend.Positive, at + ".recommend.positive"),
                ["negative"] = VectorInputs(q.Recommend.Negative, at + ".recommend.negative"),
                ["strategy"] = q.Recommend.HasStrategy ? Strategy(q.Recommend.Strategy) : null,
            },
        },
        Q.Query.VariantOneofCase.Discover => new JsonObject
        {
            ["discover"] = new JsonObject
            {
                ["target"] = VectorInput(q.Discover.Target, at + ".discover.target"),
                ["context"] = Pairs(q.Discover.Context, at + ".discover.context"),
            },
        },
        Q.Query.VariantOneofCase.Context => new JsonObject { ["context"] = Pairs(q.Context, at + ".context") },
        Q.Query.VariantOneofCase.OrderBy => new JsonObject { ["order_by"] = OrderBy(q.OrderBy) },
        Q.Query.VariantOneofCase.Fusion => new JsonObject
        {
            ["fusion"] = q.Fusion switch
            {
                Q.Fusion.Rrf => "rrf",
                Q.Fusion.Dbsf => "dbsf",
                var other => ((int)other).ToString(CultureInfo.InvariantCulture),
            },
        },
        Q.Query.VariantOneofCase.Rrf => new JsonObject
        {
            ["rrf"] = new JsonObject
            {
                ["k"] = q.Rrf.HasK ? q.Rrf.K : null,
                ["weights"] = q.Rrf.Weights.Count > 0 ? Numbers(q.Rrf.Weights, at + ".rrf.weights") : null,
            },
        },
        Q.Query.VariantOneofCase.Sample => new JsonObject
        {
            ["sample"] = q.Sample == Q.Sample.Random ? "random" : ((int)q.Sample).ToString(CultureInfo.InvariantCulture),
        },
        Q.Query.VariantOneofCase.Formula => Formula(q.Formula, at + ".formula"),
        Q.Query.VariantOneofCase.None => throw CollectionException.BadJson($"missing query variant at `{at}`"),
        var other => throw CollectionException.WrongInput($"`{at}`: {other} queries are not supported by this node"),
    };

    /// <summary>A <c>Formula</c> as REST's <c>{"formula", "defaults"}</c>.</summary>
    private static JsonObject Formula(Q.Formula formula, string at)
    {
        var defaults = new JsonObject();
        foreach (var (key, value) in formula.Defaults) defaults[key] = PayloadValues.ToJson(value, $"{at}.defaults.{key}");
        return new JsonObject { ["formula"] = Expression(formula.Expression, at), ["defaults"] = defaults };
    }

    /// <summary>An <c>Expression</c> as REST's: a number, a variable, an operator object or a condition.</summary>
    private static JsonNode Expression(Q.Expression? e, string at) => e?.VariantCase switch
    {
        Q.Expression.VariantOneofCase.Constant when float.IsFinite(e.Constant) => JsonValue.Create(e.Constant),
        Q.Expression.VariantOneofCase.Constant => throw CollectionException.BadJson($"invalid value for `{at}`: {e.Constant} is not a finite number"),
        Q.Expression.VariantOneofCase.Variable => JsonValue.Create(e.Variable),
        Q.Expression.VariantOneofCase.Condition => GrpcFilters.Condition(e.Condition, at),
        Q.Expression.VariantOneofCase.GeoDistance => new JsonObject
        {
            ["geo_distance"] = new JsonObject
            {
                ["origin"] = e.GeoDistance.Origin is { } o ? new JsonObject { ["lon"] = o.Lon, ["lat"] = o.Lat } : null,
                ["to"] = e.GeoDistance.To,
            },
        },
        Q.Expression.VariantOneofCase.Datetime => new JsonObject { ["datetime"] = e.Datetime },
        Q.Expression.VariantOneofCase.DatetimeKey => new JsonObject { ["datetime_key"] = e.DatetimeKey },
        Q.Expression.VariantOneofCase.Mult => new JsonObject { ["mult"] = Expressions(e.Mult.Mult, at + ".mult") },
        Q.Expression.VariantOneofCase.Sum => new JsonObject { ["sum"] = Expressions(e.Sum.Sum, at + ".sum") },
        Q.Expression.VariantOneofCase.Div => new JsonObject
        {
            ["div"] = new JsonObject
            {
                ["left"] = Expression(e.Div.Left, at + ".div.left"),
                ["right"] = Expression(e.Div.Right, at + ".div.right"),
                ["by_zero_default"] = e.Div.HasByZeroDefault ? e.Div.ByZeroDefault : null,
            },
        },
        Q.Expression.VariantOneofCase.Neg => new JsonObject { ["neg"] = Expression(e.Neg, at + ".neg") },
        Q.Expression.VariantOneofCase.Abs => new JsonObject { ["abs"] = Expression(e.Abs, at + ".abs") },
        Q.Expression.VariantOneofCase.Sqrt => new JsonObject { ["sqrt"] = Expression(e.Sqrt, at + ".sqrt") },
        Q.Expression.VariantOneofCase.Exp => new JsonObject { ["exp"] = Expression(e.Exp, at + ".exp") },
        Q.Expression.VariantOneofCase.Log10 => new JsonObject { ["log10"] = Expression(e.Log10, at + ".log10") },
        Q.Expression.VariantOneofCase.Ln => new JsonObject { ["ln"] = Expression(e.Ln, at + ".ln") },
        Q.Expression.VariantOneofCase.Pow => new JsonObject
        {
            ["pow"] = new JsonObject { ["base"] = Expression(e.Pow.Base, at + ".pow.base"), ["exponent"] = Expression(e.Pow.Exponent, at + ".pow.exponent") },
        },
        Q.Expression.VariantOneofCase.ExpDecay => new JsonObject { ["exp_decay"] = Decay(e.ExpDecay, at + ".exp_decay") },
        Q.Expression.VariantOneofCase.GaussDecay => new JsonObject { ["gauss_decay"] = Decay(e.GaussDecay, at + ".gauss_decay") },
        Q.Expression.VariantOneofCase.LinDecay => new JsonObject { ["lin_decay"] = Decay(e.LinDecay, at + ".lin_decay") },
        null or Q.Expression.VariantOneofCase.None => throw CollectionException.BadJson($"missing expression at `{at}`"),
        var other => throw CollectionException.WrongInput($"`{at}`: the {other} expression is not supported by this node"),
    };

    private static JsonArray Expressions(RepeatedField<Q.Expression> expressions, string at)
    {
        var list = new JsonArray();
        for (int i = 0; i < expressions.Count; i++) list.Add(Expression(expressions[i], $"{at}[{i}]"));
        return list;
    }

    private static JsonObject Decay(Q.DecayParamsExpression d, string at) => new()
    {
        ["x"] = Expression(d.X, at + ".x"),
        ["target"] = d.Target is null ? null : Expression(d.Target, at + ".target"),
        ["scale"] = d.HasScale ? d.Scale : null,
        ["midpoint"] = d.HasMidpoint ? d.Midpoint : null,
    };

    /// <summary>
    /// A query's vector input as REST's JSON: a point id, a dense vector, a sparse vector or a multivector (a matrix);
    /// inference inputs are refused.
    /// </summary>
    public static JsonNode VectorInput(Q.VectorInput? input, string at) => input?.VariantCase switch
    {
        Q.VectorInput.VariantOneofCase.Id => GrpcPoints.IdToJson(input.Id) ?? throw CollectionException.BadJson($"missing point id at `{at}`"),
        Q.VectorInput.VariantOneofCase.Dense => Numbers(input.Dense.Data, at),
        Q.VectorInput.VariantOneofCase.Sparse => new JsonObject
        {
            ["indices"] = new JsonArray(input.Sparse.Indices.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()),
            ["values"] = Numbers(input.Sparse.Values, at + ".values"),
        },
        Q.VectorInput.VariantOneofCase.MultiDense => new JsonArray(input.MultiDense.Vectors.Select((row, i) => (JsonNode?)Numbers(row.Data, $"{at}[{i}]")).ToArray()),
        null or Q.VectorInput.VariantOneofCase.None => throw CollectionException.BadJson($"missing vector input at `{at}` (expected a point id, a dense, a sparse or a multi-dense vector)"),
        _ => throw CollectionException.WrongInput($"`{at}`: inference inputs are not supported by this node"),
    };

    private static JsonArray VectorInputs(RepeatedField<Q.VectorInput> inputs, string at)
    {
        var list = new JsonArray();
        for (int i = 0; i < inputs.Count; i++) list.Add(VectorInput(inputs[i], $"{at}[{i}]"));
        return list;
    }

    private static JsonArray Pairs(Q.ContextInput? context, string at)
    {
        var list = new JsonArray();
        if (context is null) return list;
        for (int i = 0; i < context.Pairs.Count; i++)
        {
            var pair = context.Pairs[i];
            list.Add(new JsonObject
            {
                ["positive"] = VectorInput(pair.Positive, $"{at}[{i}].positive"),
                ["negative"] = VectorInput(pair.Negative, $"{at}[{i}].negative"),
            });
        }

        return list;
    }

    /// <summary>Finite numbers (JSON has no NaN or Infinity).</summary>
    private static JsonArray Numbers(IReadOnlyList<float> data, string at)
    {
        var list = new JsonArray();
        for (int i = 0; i < data.Count; i++)
        {
            float f = data[i];
            if (!float.IsFinite(f)) throw CollectionException.WrongInput($"vector component {f} at `{at}[{i}]` is not a finite 32-bit float (NaN and Infinity are not allowed)");
            list.Add(f);
        }

        return list;
    }

    private static string Strategy(Q.RecommendStrategy strategy) => strategy switch
    {
        Q.RecommendStrategy.AverageVector => "average_vector",
        Q.RecommendStrategy.BestScore => "best_score",
        Q.RecommendStrategy.SumScores => "sum_scores",
        var other => ((int)other).ToString(CultureInfo.InvariantCulture),
    };

    private static JsonObject Mmr(Q.Mmr? mmr, string at)
    {
        var json = new JsonObject();
        if (mmr is null) return json;
        if (mmr.HasDiversity)
        {
            if (!float.IsFinite(mmr.Diversity)) throw CollectionException.BadJson($"invalid type for `{at}.diversity`: expected a number, got {mmr.Diversity}");
            json["diversity"] = mmr.Diversity;
        }

        if (mmr.HasCandidatesLimit) json["candidates_limit"] = mmr.CandidatesLimit;
        return json;
    }

    /// <summary>An <c>OrderBy</c> as REST's <c>{"key", "direction", "start_from"}</c>.</summary>
    public static JsonObject OrderBy(Q.OrderBy order)
    {
        var json = new JsonObject { ["key"] = order.Key };
        if (order.HasDirection) json["direction"] = order.Direction == Q.Direction.Desc ? "desc" : "asc";
        if (order.StartFrom is { } start)
        {
            json["start_from"] = start.ValueCase switch
            {
                Q.StartFrom.ValueOneofCase.Float => JsonValue.Create(start.Float),
                Q.StartFrom.ValueOneofCase.Integer => JsonValue.Create(start.Integer),
                Q.StartFrom.ValueOneofCase.Datetime => JsonValue.Create(start.Datetime),
                Q.StartFrom.ValueOneofCase.Timestamp => JsonValue.Create(start.Timestamp.ToDateTime().ToString("O", CultureInfo.InvariantCulture)),
                _ => null,
            };
        }

        return json;
    }

    /// <summary><c>params</c> as REST's <c>SearchParams</c>.</summary>
    private static JsonObject Params(Q.SearchParams p)
    {
        var json = new JsonObject();
        if (p.HasHnswEf) json["hnsw_ef"] = p.HnswEf;
        if (p.HasExact) json["exact"] = p.Exact;
        if (p.Quantization is { } q)
        {
            var quantization = new JsonObject();
            if (q.HasIgnore) quantization["ignore"] = q.Ignore;
            if (q.HasRescore) quantization["rescore"] = q.Rescore;
            if (q.HasOversampling) quantization["oversampling"] = q.Oversampling;
            json["quantization"] = quantization;
        }

        return json;
    }

    /// <summary><c>with_vectors</c> as REST's <c>with_vector</c>: a boolean or the names included.</summary>
    private static JsonNode WithVectors(Q.WithVectorsSelector selector) => selector.SelectorOptionsCase switch
    {
        Q.WithVectorsSelector.SelectorOptionsOneofCase.Enable => selector.Enable,
        Q.WithVectorsSelector.SelectorOptionsOneofCase.Include when selector.Include.Names.Count > 0 => new JsonArray([.. selector.Include.Names.Select(n => (JsonNode)n)]),
        _ => false,
    };

    /// <summary><c>lookup_from</c> as REST's <c>LookupLocation</c>.</summary>
    private static JsonObject Lookup(Q.LookupLocation lookup)
    {
        if (lookup.ShardKeySelector is { ShardKeys.Count: > 0 }) throw CollectionException.WrongInput("`lookup_from.shard_key_selector` is not supported by this node (the source collection is read over all its shards)");
        var json = new JsonObject { ["collection"] = lookup.CollectionName };
        if (lookup.HasVectorName) json["vector"] = lookup.VectorName;
        return json;
    }
}
