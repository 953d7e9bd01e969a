using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>JSON compared by meaning: object keys sorted (Qdrant's payload key order is not stable).</summary>
public static class JsonText
{
    public static string Canonical(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(',', e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => JsonSerializer.Serialize(p.Name) + ":" + Canonical(p.Value))) + "}",
        JsonValueKind.Array => "[" + string.Join(',', e.EnumerateArray().Select(Canonical)) + "]",
        _ => e.GetRawText(),
    };

    public static string Canonical(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Canonical(doc.RootElement);
    }
}
