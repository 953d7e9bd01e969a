using System.Globalization;
using System.Text.Json.Nodes;
using AspireVector.Node.Collections;
using Google.Protobuf.Collections;
using Q = Qdrant.Client.Grpc;

namespace AspireVector.Node.Api.Grpc;

/// <summary>
/// Qdrant's gRPC <c>Filter</c> to the REST filter JSON, then through the one filter parser REST uses, so both APIs
/// accept and refuse exactly the same conditions (<see cref="QueryFilter.Parse(string)"/>).
/// </summary>
public static class GrpcFilters
{
    /// <summary>The filter, or null when absent.</summary>
    public static QueryFilter? Read(Q.Filter? filter) => filter is null ? null : QueryFilter.Parse(ToJson(filter, "filter").ToJsonString());

    /// <summary>The REST form of <paramref name="filter"/>.</summary>
    public static JsonObject ToJson(Q.Filter filter, string at)
    {
        var json = new JsonObject();
        if (filter.Must.Count > 0) json["must"] = Conditions(filter.Must, at + ".must");
        if (filter.Should.Count > 0) json["should"] = Conditions(filter.Should, at + ".should");
        if (filter.MustNot.Count > 0) json["must_not"] = Conditions(filter.MustNot, at + ".must_not");
        if (filter.MinShould is { } min)
        {
            json["min_should"] = new JsonObject
            {
                ["conditions"] = Conditions(min.Conditions, at + ".min_should.conditions"),
                ["min_count"] = min.MinCount,
            };
        }
        return json;
    }

    private static JsonArray Conditions(RepeatedField<Q.Condition> conditions, string at)
    {
        var array = new JsonArray();
        for (int i = 0; i < conditions.Count; i++) array.Add(Condition(conditions[i], $"{at}[{i}]"));
        return array;
    }

    /// <summary>The REST form of one condition (also a formula's condition).</summary>
    public static JsonObject Condition(Q.Condition c, string at) => c.ConditionOneOfCase switch
    {
        Q.Condition.ConditionOneOfOneofCase.Field => Field(c.Field, at),
        Q.Condition.ConditionOneOfOneofCase.IsEmpty => new JsonObject { ["is_empty"] = new JsonObject { ["key"] = c.IsEmpty.Key } },
        Q.Condition.ConditionOneOfOneofCase.IsNull => new JsonObject { ["is_null"] = new JsonObject { ["key"] = c.IsNull.Key } },
        Q.Condition.ConditionOneOfOneofCase.HasId => new JsonObject { ["has_id"] = Ids(c.HasId.HasId) },
        Q.Condition.ConditionOneOfOneofCase.Filter => ToJson(c.Filter, at + ".filter"),
        Q.Condition.ConditionOneOfOneofCase.Nested => new JsonObject
        {
            ["nested"] = new JsonObject { ["key"] = c.Nested.Key, ["filter"] = ToJson(c.Nested.Filter ?? new Q.Filter(), at + ".nested.filter") },
        },
        Q.Condition.ConditionOneOfOneofCase.HasVector => new JsonObject { ["has_vector"] = c.HasVector.HasVector },
        Q.Condition.ConditionOneOfOneofCase.None => throw CollectionException.WrongInput($"empty condition at `{at}`"),
        var other => throw CollectionException.WrongInput($"condition `{other}` at `{at}` is not supported by this node"),
    };

    private static JsonArray Ids(RepeatedField<Q.PointId> ids)
    {
        var array = new JsonArray();
        foreach (var id in ids) array.Add(GrpcPoints.IdToJson(id));
        return array;
    }

    private static JsonObject Field(Q.FieldCondition f, string at)
    {
        // The boolean forms are shorthands for the is_empty / is_null conditions.
        if (f.HasIsEmpty) return Negated(f.IsEmpty, new JsonObject { ["is_empty"] = new JsonObject { ["key"] = f.Key } });
        if (f.HasIsNull) return Negated(f.IsNull, new JsonObject { ["is_null"] = new JsonObject { ["key"] = f.Key } });
        var json = new JsonObject { ["key"] = f.Key };
        if (f.Match is { } match) json["match"] = Match(match, at + ".match");
        if (f.Range is { } range)
        {
            var r = new JsonObject();
            if (range.HasLt) r["lt"] = range.Lt;
            if (range.HasGt) r["gt"] = range.Gt;
            if (range.HasGte) r["gte"] = range.Gte;
            if (range.HasLte) r["lte"] = range.Lte;
            json["range"] = r;
        }
        if (f.DatetimeRange is { } dt)
        {
            var r = new JsonObject();
            if (dt.Lt is { } lt) r["lt"] = Timestamp(lt);
            if (dt.Gt is { } gt) r["gt"] = Timestamp(gt);
            if (dt.Gte is { } gte) r["gte"] = Timestamp(gte);
            if (dt.Lte is { } lte) r["lte"] = Timestamp(lte);
            json["range"] = r;
        }
        if (f.GeoBoundingBox is { } box)
            json["geo_bounding_box"] = new JsonObject { ["top_left"] = Point(box.TopLeft), ["bottom_right"] = Point(box.BottomRight) };
        if (f.GeoRadius is { } radius)
            json["geo_radius"] = new JsonObject { ["center"] = Point(radius.Center), ["radius"] = radius.Radius };
        if (f.GeoPolygon is { } polygon)
        {
            var interiors = new JsonArray();
            foreach (var ring in polygon.Interiors) interiors.Add(Ring(ring));
            json["geo_polygon"] = new JsonObject { ["exterior"] = Ring(polygon.Exterior), ["interiors"] = interiors };
        }
        if (f.ValuesCount is { } count)
        {
            var c = new JsonObject();
            if (count.HasLt) c["lt"] = count.Lt;
            if (count.HasGt) c["gt"] = count.Gt;
            if (count.HasGte) c["gte"] = count.Gte;
            if (count.HasLte) c["lte"] = count.Lte;
            json["values_count"] = c;
        }
        return json;
    }

    private static JsonObject Negated(bool holds, JsonObject condition) =>
        holds ? condition : new JsonObject { ["must_not"] = new JsonArray(condition) };

    private static JsonObject Match(Q.Match m, string at) => m.MatchValueCase switch
    {
        Q.Match.MatchValueOneofCase.Keyword => new JsonObject { ["value"] = m.Keyword },
        Q.Match.MatchValueOneofCase.Integer => new JsonObject { ["value"] = m.Integer },
        Q.Match.MatchValueOneofCase.Boolean => new JsonObject { ["value"] = m.Boolean },
        Q.Match.MatchValueOneofCase.Text => new JsonObject { ["text"] = m.Text },
        Q.Match.MatchValueOneofCase.TextAny => new JsonObject { ["text_any"] = m.TextAny },
        Q.Match.MatchValueOneofCase.Phrase => new JsonObject { ["phrase"] = m.Phrase },
        Q.Match.MatchValueOneofCase.Keywords => new JsonObject { ["any"] = Strings(m.Keywords.Strings) },
        Q.Match.MatchValueOneofCase.Integers => new JsonObject { ["any"] = Integers(m.Integers.Integers) },
        Q.Match.MatchValueOneofCase.ExceptKeywords => new JsonObject { ["except"] = Strings(m.ExceptKeywords.Strings) },
        Q.Match.MatchValueOneofCase.ExceptIntegers => new JsonObject { ["except"] = Integers(m.ExceptIntegers.Integers) },
        Q.Match.MatchValueOneofCase.None => throw CollectionException.WrongInput($"empty match at `{at}`"),
        var other => throw CollectionException.WrongInput($"match `{other}` at `{at}` is not supported by this node"),
    };

    private static JsonArray Strings(RepeatedField<string> values)
    {
        var array = new JsonArray();
        foreach (var v in values) array.Add(v);
        return array;
    }

    private static JsonArray Integers(RepeatedField<long> values)
    {
        var array = new JsonArray();
        foreach (var v in values) array.Add(v);
        return array;
    }

    private static string Timestamp(Google.Protobuf.WellKnownTypes.Timestamp t) =>
        t.ToDateTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static JsonObject? Point(Q.GeoPoint? p) => p is null ? null : new JsonObject { ["lon"] = p.Lon, ["lat"] = p.Lat };

    private static JsonObject Ring(Q.GeoLineString? ring)
    {
        var points = new JsonArray();
        if (ring is not null)
        {
            foreach (var p in ring.Points) points.Add(Point(p));
        }
        return new JsonObject { ["points"] = points };
    }
}
