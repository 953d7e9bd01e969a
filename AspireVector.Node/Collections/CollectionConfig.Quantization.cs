using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Index;

namespace AspireVector.Node.Collections;

public sealed partial class CollectionConfig
{
    /// <summary>
    /// The index quantization of vector <paramref name="vector"/> (null: the unnamed one): its own
    /// <c>quantization_config</c> when it has one, else the collection's, as Qdrant resolves them.
    /// </summary>
    private QuantizationConfig? IndexQuantization(VectorParams? vector) => ToIndexQuantization(vector?.Quantization ?? Quantization);

    /// <summary>A validated <c>quantization_config</c> object as the index takes it (null for none).</summary>
    internal static QuantizationConfig? ToIndexQuantization(JsonNode? config)
    {
        if (config is not JsonObject o) return null;
        if (o["scalar"] is JsonObject scalar)
        {
            return new QuantizationConfig
            {
                Quantile = scalar["quantile"] is JsonValue q && q.TryGetValue(out double quantile) ? (float)quantile : 1f,
                AlwaysRam = scalar["always_ram"] is JsonValue r && r.TryGetValue(out bool alwaysRam) && alwaysRam,
            };
        }

        if (o["product"] is JsonObject product)
        {
            return new QuantizationConfig
            {
                Kind = QuantizationKind.Product,
                Compression = product["compression"] is JsonValue c && c.TryGetValue(out string? ratio) && int.TryParse(ratio.AsSpan(1), out int x) ? x : 16,
                AlwaysRam = product["always_ram"] is JsonValue r && r.TryGetValue(out bool alwaysRam) && alwaysRam,
                MinTrainingVectors = QuantizationConfig.ProductTrainingVectors,
            };
        }

        if (o["binary"] is JsonObject binary)
        {
            return new QuantizationConfig
            {
                Kind = QuantizationKind.Binary,
                AlwaysRam = binary["always_ram"] is JsonValue r && r.TryGetValue(out bool alwaysRam) && alwaysRam,
            };
        }

        return null;
    }

    /// <summary>
    /// Reads and validates a <c>quantization_config</c> (Qdrant's untagged enum of <c>scalar</c>, <c>product</c> and
    /// <c>binary</c>); kept as the JSON given, so it is echoed back unchanged.
    /// </summary>
    private static JsonNode? ReadQuantization(JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Object)
            throw CollectionException.BadJson($"invalid type for `quantization_config`: expected an object, got {v.GetRawText()}");
        var properties = v.EnumerateObject().ToList();
        if (properties.Count == 1 && properties[0].Name == "turbo")
            throw CollectionException.WrongInput("turbo quantization (`quantization_config.turbo`) is not supported by this node; use `scalar`, `product` or `binary`");
        if (properties.Count != 1 || properties[0].Name is not ("scalar" or "product" or "binary"))
            throw CollectionException.BadJson("data did not match any variant of untagged enum QuantizationConfig: expected one of `scalar`, `product`, `binary` in `quantization_config`");
        var (kind, body) = (properties[0].Name, properties[0].Value);
        string path = "quantization_config." + kind;
        if (body.ValueKind != JsonValueKind.Object)
            throw CollectionException.BadJson($"invalid type for `{path}`: expected an object, got {body.GetRawText()}");
        switch (kind)
        {
            case "scalar":
                if (!body.TryGetProperty("type", out var type)) throw CollectionException.BadJson($"missing field `type` in `{path}`");
                if (type.ValueKind != JsonValueKind.String || type.GetString() != "int8")
                    throw CollectionException.BadJson($"unknown variant `{(type.ValueKind == JsonValueKind.String ? type.GetString() : type.GetRawText())}`, expected `int8` in `{path}.type`");
                foreach (var p in body.EnumerateObject())
                {
                    switch (p.Name)
                    {
                        case "type": break;
                        case "quantile" when p.Value.ValueKind == JsonValueKind.Null: break;
                        case "quantile":
                            if (p.Value.ValueKind != JsonValueKind.Number)
                                throw CollectionException.BadJson($"invalid type for `{path}.quantile`: expected a number, got {p.Value.GetRawText()}");
                            double quantile = p.Value.GetDouble();
                            if (quantile is < 0.5 or > 1.0)
                                throw CollectionException.Validation("quantization_config.scalar.quantile", $"value {p.Value.GetRawText()} invalid, must be from 0.5 to 1.0");
                            break;
                        case "always_ram": Bool(p.Value, path + ".always_ram"); break;
                        default: throw CollectionException.BadJson($"unknown field `{p.Name}`, expected one of `type`, `quantile`, `always_ram` in `{path}`");
                    }
                }
                break;
            case "product":
                if (!body.TryGetProperty("compression", out _)) throw CollectionException.BadJson($"missing field `compression` in `{path}`");
                foreach (var p in body.EnumerateObject())
                {
                    switch (p.Name)
                    {
                        case "compression": EnumText(p.Value, path + ".compression", "x4", "x8", "x16", "x32", "x64"); break;
                        case "always_ram": Bool(p.Value, path + ".always_ram"); break;
                        default: throw CollectionException.BadJson($"unknown field `{p.Name}`, expected `compression` or `always_ram` in `{path}`");
                    }
                }
                break;
            case "binary":
                foreach (var p in body.EnumerateObject())
                {
                    switch (p.Name)
                    {
                        case "always_ram": Bool(p.Value, path + ".always_ram"); break;
                        case "encoding" or "query_encoding" when p.Value.ValueKind == JsonValueKind.Null: break;
                        case "encoding":
                            string encoding = EnumText(p.Value, path + ".encoding", "one_bit", "two_bits", "one_and_half_bits");
                            if (encoding != "one_bit")
                                throw CollectionException.WrongInput($"binary quantization with `encoding: {encoding}` is not supported by this node; use `one_bit`");
                            break;
                        case "query_encoding":
                            string query = EnumText(p.Value, path + ".query_encoding", "default", "binary", "scalar4bits", "scalar8bits");
                            if (query is not ("default" or "binary"))
                                throw CollectionException.WrongInput($"binary quantization with `query_encoding: {query}` is not supported by this node; use `default` or `binary`");
                            break;
                        default: throw CollectionException.BadJson($"unknown field `{p.Name}`, expected one of `always_ram`, `encoding`, `query_encoding` in `{path}`");
                    }
                }
                break;
        }

        return JsonNode.Parse(v.GetRawText());
    }

    /// <summary>A string of one of the <paramref name="variants"/>, else serde's "unknown variant" error.</summary>
    private static string EnumText(JsonElement v, string path, params string[] variants)
    {
        string? text = v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (text is null || Array.IndexOf(variants, text) < 0)
            throw CollectionException.BadJson($"unknown variant `{text ?? v.GetRawText()}`, expected one of {string.Join(", ", variants.Select(x => $"`{x}`"))} in `{path}`");
        return text;
    }
}
