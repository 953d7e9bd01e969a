using System.Globalization;
using System.Text.Json;
using AspireVector.Node.Index;

namespace AspireVector.Node.Collections;

/// <summary>
/// Qdrant's strict mode checks: with <c>strict_mode_config.enabled</c>, requests beyond the collection's limits are
/// refused before they run, with 400 "Bad request: &lt;what&gt;. Help: &lt;what to do&gt;" (Qdrant's wording). Each check
/// does nothing when strict mode is off or the limit is not set.
/// </summary>
public static class StrictMode
{
    /// <summary>The limits in force for <paramref name="config"/>, or null when strict mode is off.</summary>
    private static StrictModeConfig? Active(CollectionConfig config) => config.StrictMode is { Enabled: true } s ? s : null;

    /// <summary><c>max_query_limit</c> against a request's <c>limit</c>.</summary>
    public static void CheckLimit(CollectionConfig config, long limit) => CheckMax(config, "max_query_limit", limit, "limit");

    /// <summary><c>max_timeout</c> against a request's <c>timeout</c> (seconds).</summary>
    public static void CheckTimeout(CollectionConfig config, long timeout) => CheckMax(config, "max_timeout", timeout, "timeout");

    /// <summary><c>search_max_batchsize</c> against the number of searches in a batch.</summary>
    public static void CheckSearchBatch(CollectionConfig config, long searches) => CheckMax(config, "search_max_batchsize", searches, "search batch size");

    /// <summary><c>upsert_max_batchsize</c> against the points of an upsert (<paramref name="name"/> "upsert limit") or vector update ("update limit").</summary>
    public static void CheckUpsertBatch(CollectionConfig config, long points, string name = "upsert limit") => CheckMax(config, "upsert_max_batchsize", points, name);

    /// <summary><c>search_allow_exact</c>, <c>search_max_hnsw_ef</c> and <c>search_max_oversampling</c> against a search's <c>params</c>.</summary>
    public static void CheckSearchParams(CollectionConfig config, SearchParams? p)
    {
        if (Active(config) is not { } s || p is null) return;
        if (p.Oversampling is double oversampling && s.MaxOversampling is double maxOversampling && oversampling > maxOversampling)
            throw LimitExceeded(Format(oversampling), Format(maxOversampling), "oversampling");
        if (p.HnswEf is int ef) CheckMax(config, "search_max_hnsw_ef", ef, "hnsw_ef");
        if (p.Exact && s.Bool("search_allow_exact") == false) throw Refused("Exact search disabled!", "Set exact=false.");
    }

    /// <summary>A search's <c>limit</c>, <c>filter</c> and <c>params</c>.</summary>
    public static void CheckSearch(CollectionConfig config, SearchRequest request)
    {
        if (Active(config) is null) return;
        CheckLimit(config, request.Limit);
        CheckReadFilter(config, request.Filter);
        CheckSearchParams(config, request.Params);
    }

    /// <summary>A read's <c>limit</c> and <c>filter</c> (scroll, facet, sample).</summary>
    public static void CheckRead(CollectionConfig config, long limit, QueryFilter? filter)
    {
        if (Active(config) is null) return;
        CheckLimit(config, limit);
        CheckReadFilter(config, filter);
    }

    /// <summary><c>max_points_count</c> against the collection's points before a write that adds points.</summary>
    public static void CheckPointsCount(CollectionConfig config, long points)
    {
        if (Active(config)?.Limit("max_points_count") is long max && points >= max)
            throw new CollectionException(400, $"Bad request: Max points count limit of {max} reached!");
    }

    /// <summary><c>unindexed_filtering_retrieve: false</c>: every key a read's filter names needs a payload index.</summary>
    public static void CheckReadFilter(CollectionConfig config, QueryFilter? filter) => CheckFilter(config, filter, "unindexed_filtering_retrieve");

    /// <summary><c>unindexed_filtering_update: false</c>: every key a filtered update's filter names needs a payload index.</summary>
    public static void CheckUpdateFilter(CollectionConfig config, QueryFilter? filter) => CheckFilter(config, filter, "unindexed_filtering_update");

    private static void CheckFilter(CollectionConfig config, QueryFilter? filter, string setting)
    {
        if (filter is null || Active(config)?.Bool(setting) != false) return;
        using var doc = JsonDocument.Parse(filter.Json);
        var unindexed = FilterKeys.FirstUnindexed(doc.RootElement, config.PayloadSchema);
        if (unindexed is { } u)
            throw Refused($"Index required but not found for \"{u.Key}\" of one of the following types: [{string.Join(", ", u.Types)}]",
                "Create an index for this key or use a different filter.");
    }

    private static void CheckMax(CollectionConfig config, string setting, long value, string name)
    {
        if (Active(config)?.Limit(setting) is long max && value > max) throw LimitExceeded(Format(value), Format(max), name);
    }

    private static CollectionException LimitExceeded(string value, string limit, string name) =>
        Refused($"Limit exceeded {value} > {limit} for \"{name}\"", $"Reduce the \"{name}\" parameter to or below {limit}.");

    private static CollectionException Refused(string description, string help) => new(400, $"Bad request: {description}. Help: {help}");

    private static string Format(double v) => v.ToString(CultureInfo.InvariantCulture);
}
