using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Collections;
using AspireVector.Node.Storage;
using Google.Protobuf.Collections;
using Q = Qdrant.Client.Grpc;

namespace AspireVector.Node.Api.Grpc;

/// <summary>
/// Qdrant's gRPC payload values (<c>Value</c>: null, double, integer, string, bool, struct, list) to and from the
/// JSON payloads storage keeps: JSON integers become <c>integer_value</c>, other numbers <c>double_value</c>.
/// </summary>
public static class PayloadValues
{
    /// <summary>A request payload as a frozen JSON object (the same form REST bodies are stored in); null when empty.</summary>
    public static JsonObject? ToPayload(MapField<string, Q.Value> payload, string at)
    {
        if (payload.Count == 0) return null;
        var json = ToObject(payload, at);
        return PayloadJson.Parse(JsonSerializer.SerializeToUtf8Bytes(json, PayloadJson.Options));
    }

    /// <summary>A request payload as a JSON object, even when empty (set/overwrite payload).</summary>
    public static JsonObject ToRequiredPayload(MapField<string, Q.Value> payload, string at) =>
        ToPayload(payload, at) ?? new JsonObject();

    /// <summary>Converts one value; NaN and infinities are refused as REST refuses them (JSON cannot hold them).</summary>
    public static JsonNode? ToJson(Q.Value value, string at) => value.KindCase switch
    {
        Q.Value.KindOneofCase.None or Q.Value.KindOneofCase.NullValue => null,
        Q.Value.KindOneofCase.DoubleValue => double.IsFinite(value.DoubleValue)
            ? JsonValue.Create(value.DoubleValue)
            : throw CollectionException.WrongInput($"payload value at `{at}` is not a finite number"),
        Q.Value.KindOneofCase.IntegerValue => JsonValue.Create(value.IntegerValue),
        Q.Value.KindOneofCase.StringValue => JsonValue.Create(value.StringValue),
        Q.Value.KindOneofCase.BoolValue => JsonValue.Create(value.BoolValue),
        Q.Value.KindOneofCase.StructValue => ToObject(value.StructValue.Fields, at),
        Q.Value.KindOneofCase.ListValue => ToArray(value.ListValue, at),
        _ => throw CollectionException.WrongInput($"unknown payload value kind at `{at}`"),
    };

    /// <summary>Writes <paramref name="payload"/> (null: nothing) into a response's payload map.</summary>
    public static void CopyTo(JsonObject? payload, MapField<string, Q.Value> into)
    {
        if (payload is null) return;
        foreach (var (key, node) in payload) into[key] = FromJson(node);
    }

    /// <summary>Converts a stored JSON value.</summary>
    public static Q.Value FromJson(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return new Q.Value { NullValue = Q.NullValue.NullValue };
            case JsonObject obj:
                var s = new Q.Struct();
                foreach (var (key, child) in obj) s.Fields[key] = FromJson(child);
                return new Q.Value { StructValue = s };
            case JsonArray array:
                var list = new Q.ListValue();
                foreach (var child in array) list.Values.Add(FromJson(child));
                return new Q.Value { ListValue = list };
        }

        var value = node.AsValue();
        switch (value.GetValueKind())
        {
            case JsonValueKind.String: return new Q.Value { StringValue = value.GetValue<string>() };
            case JsonValueKind.True: return new Q.Value { BoolValue = true };
            case JsonValueKind.False: return new Q.Value { BoolValue = false };
            case JsonValueKind.Number:
                // Integers stay integers (as Qdrant answers them); the JSON text tells, whatever the node's backing type.
                return long.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long integer)
                    ? new Q.Value { IntegerValue = integer }
                    : new Q.Value { DoubleValue = double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) };
            default: return new Q.Value { NullValue = Q.NullValue.NullValue };
        }
    }

    private static JsonObject ToObject(MapField<string, Q.Value> fields, string at)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in fields) obj[key] = ToJson(value, $"{at}.{key}");
        return obj;
    }

    private static JsonArray ToArray(Q.ListValue list, string at)
    {
        var array = new JsonArray();
        for (int i = 0; i < list.Values.Count; i++) array.Add(ToJson(list.Values[i], $"{at}[{i}]"));
        return array;
    }
}
