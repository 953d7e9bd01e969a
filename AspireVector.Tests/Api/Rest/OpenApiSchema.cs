using System.Globalization;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// Checks JSON answers against the response schemas of Qdrant's OpenAPI document (the subset it uses: <c>$ref</c>,
/// <c>type</c>, <c>nullable</c>, <c>properties</c>, <c>required</c>, <c>additionalProperties</c>, <c>items</c>,
/// <c>anyOf</c>/<c>oneOf</c>/<c>allOf</c>, <c>enum</c>, <c>minimum</c>/<c>maximum</c>, integer formats).
/// </summary>
/// <remarks>
/// Stricter than JSON Schema in one way, on purpose: an object property the schema does not declare is an error when
/// the schema says nothing about additional properties. Qdrant's serializer emits exactly the declared fields, and
/// clients generated from this document (the Python client's models forbid extra fields) may refuse anything else.
/// A schema that is only <c>{"nullable": true}</c> (Qdrant's "or null" branch of an <c>anyOf</c>) accepts only null.
/// </remarks>
public sealed class OpenApiSchema
{
    private readonly JsonElement _schemas;
    private readonly JsonElement _paths;

    private OpenApiSchema(JsonDocument document)
    {
        _paths = document.RootElement.GetProperty("paths");
        _schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
    }

    /// <summary>Qdrant 1.18's document, from <c>../shared/reference</c>.</summary>
    public static OpenApiSchema Qdrant { get; } = new(JsonDocument.Parse(File.ReadAllBytes(
        Path.Combine(RepoPaths.Shared, "reference", "qdrant-openapi-v1.18.json"))));

    /// <summary>Every mismatch between <paramref name="body"/> and the 200 answer of <paramref name="method"/> <paramref name="template"/>.</summary>
    public List<string> CheckResponse(string method, string template, JsonElement body)
    {
        var errors = new List<string>();
        if (!_paths.TryGetProperty(template, out var path) || !path.TryGetProperty(method.ToLowerInvariant(), out var operation))
        {
            errors.Add($"{method} {template} is not in the OpenAPI document");
            return errors;
        }

        var schema = operation.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Check(body, schema, "$", errors);
        return errors;
    }

    private void Check(JsonElement value, JsonElement schema, string at, List<string> errors)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            Check(value, Resolve(reference.GetString()!), at, errors);
            return;
        }

        bool nullable = schema.TryGetProperty("nullable", out var n) && n.GetBoolean();
        if (value.ValueKind == JsonValueKind.Null && nullable) return;

        if (schema.TryGetProperty("allOf", out var all))
        {
            foreach (var part in all.EnumerateArray()) Check(value, part, at, errors);
        }

        foreach (var keyword in new[] { "anyOf", "oneOf" })
        {
            if (!schema.TryGetProperty(keyword, out var branches)) continue;
            List<string>? nearest = null;
            bool matched = false;
            foreach (var branch in branches.EnumerateArray())
            {
                var attempt = new List<string>();
                Check(value, branch, at, attempt);
                matched = attempt.Count == 0;
                if (matched) break;
                if (nearest is null || attempt.Count < nearest.Count) nearest = attempt;
            }

            if (!matched)
            {
                errors.Add($"{at}: matches no branch of {keyword}; nearest: {string.Join(" | ", nearest ?? [])}");
                return;
            }
        }

        bool typed = schema.TryGetProperty("type", out var typeElement);
        if (!typed)
        {
            // Qdrant's "or null" branch: {"nullable": true} alone.
            if (nullable && !schema.TryGetProperty("anyOf", out _) && !schema.TryGetProperty("oneOf", out _) && !schema.TryGetProperty("allOf", out _)
                && !schema.TryGetProperty("properties", out _))
                errors.Add($"{at}: expected null, got {Describe(value)}");
            return;
        }

        string type = typeElement.GetString()!;
        if (value.ValueKind == JsonValueKind.Null)
        {
            errors.Add($"{at}: null where {type} is required");
            return;
        }

        switch (type)
        {
            case "object":
                CheckObject(value, schema, at, errors);
                break;
            case "array":
                if (value.ValueKind != JsonValueKind.Array) { errors.Add($"{at}: expected an array, got {Describe(value)}"); break; }
                if (schema.TryGetProperty("items", out var items))
                {
                    int i = 0;
                    foreach (var item in value.EnumerateArray()) Check(item, items, $"{at}[{i++}]", errors);
                }

                break;
            case "string":
                if (value.ValueKind != JsonValueKind.String) errors.Add($"{at}: expected a string, got {Describe(value)}");
                break;
            case "boolean":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) errors.Add($"{at}: expected a boolean, got {Describe(value)}");
                break;
            case "integer":
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var whole) || whole != decimal.Truncate(whole))
                    errors.Add($"{at}: expected an integer, got {Describe(value)}");
                else CheckRange(value, schema, at, errors);
                break;
            case "number":
                if (value.ValueKind != JsonValueKind.Number) errors.Add($"{at}: expected a number, got {Describe(value)}");
                else CheckRange(value, schema, at, errors);
                break;
        }

        if (schema.TryGetProperty("enum", out var choices) && !choices.EnumerateArray().Any(c => JsonElement.DeepEquals(c, value)))
            errors.Add($"{at}: {Describe(value)} is not one of {choices.GetRawText()}");
    }

    private void CheckObject(JsonElement value, JsonElement schema, string at, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{at}: expected an object, got {Describe(value)}");
            return;
        }

        bool hasProperties = schema.TryGetProperty("properties", out var properties);
        schema.TryGetProperty("additionalProperties", out var additional);
        if (!hasProperties && additional.ValueKind == JsonValueKind.Undefined) return; // a free-form object
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!value.TryGetProperty(name, out _)) errors.Add($"{at}: missing required `{name}`");
            }
        }

        foreach (var property in value.EnumerateObject())
        {
            string where = $"{at}.{property.Name}";
            if (hasProperties && properties.TryGetProperty(property.Name, out var declared)) Check(property.Value, declared, where, errors);
            else if (additional.ValueKind == JsonValueKind.Object) Check(property.Value, additional, where, errors);
            else if (additional.ValueKind != JsonValueKind.True) errors.Add($"{where}: not in the schema");
        }
    }

    private static void CheckRange(JsonElement value, JsonElement schema, string at, List<string> errors)
    {
        double number = value.GetDouble();
        if (schema.TryGetProperty("minimum", out var min) && number < min.GetDouble()) errors.Add($"{at}: {number} below the minimum {min.GetDouble()}");
        if (schema.TryGetProperty("maximum", out var max) && number > max.GetDouble()) errors.Add($"{at}: {number} above the maximum {max.GetDouble()}");
    }

    private JsonElement Resolve(string reference)
    {
        const string Prefix = "#/components/schemas/";
        if (!reference.StartsWith(Prefix, StringComparison.Ordinal)) throw new InvalidOperationException($"unsupported $ref {reference}");
        return _schemas.GetProperty(reference[Prefix.Length..]);
    }

    private static string Describe(JsonElement value)
    {
        string text = value.GetRawText();
        return text.Length <= 60 ? text : text[..60].ToString(CultureInfo.InvariantCulture) + "…";
    }
}
