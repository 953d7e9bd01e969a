using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace AspireVector.Tests.Fuzzing;

/// <summary>
/// Seeded mutations of a valid JSON body, structural (a field deleted, a value of another type, a huge number,
/// deep nesting) or byte-level (truncation, invalid UTF-8, a flipped byte). Each returns the bytes to send and
/// a short description for failure messages.
/// </summary>
internal sealed class JsonMutator(Random random)
{
    private static readonly string[] HugeNumbers =
    [
        "1e308", "-1e308", "1e400", "-1e400", "18446744073709551616", "-9223372036854775809", "9223372036854775807",
        "4294967296", "2147483648", "-2147483649", "1e-400", "123456789012345678901234567890", "0.0000000000000000000001", "-0",
    ];

    /// <summary>One mutation of <paramref name="json"/>.</summary>
    public (byte[] Body, string What) Mutate(string json)
    {
        switch (random.Next(10))
        {
            case 0:
                return Truncate(json);
            case 1:
                return InvalidUtf8(json);
            case 2:
                return FlipByte(json);
            case 3:
                return DeepNesting(json);
            default:
                return Structural(json);
        }
    }

    private (byte[], string) Structural(string json)
    {
        var root = JsonNode.Parse(json)!;
        int steps = 1 + random.Next(3);
        var what = new StringBuilder();
        for (int i = 0; i < steps; i++)
        {
            var nodes = new List<(JsonNode? Parent, string? Key, int Index, JsonNode? Node)>();
            Collect(null, null, -1, root, nodes);
            var (parent, key, index, node) = nodes[random.Next(nodes.Count)];
            if (parent is null)
            {
                root = Replacement(node) ?? JsonValue.Create(0)!;
                what.Append("root:=").Append(root.ToJsonString()).Append(';');
                continue;
            }

            string where = key ?? index.ToString(CultureInfo.InvariantCulture);
            if (random.Next(4) == 0)
            {
                if (parent is JsonObject o) o.Remove(key!);
                else ((JsonArray)parent).RemoveAt(index);
                what.Append("delete ").Append(where).Append(';');
                continue;
            }

            var replacement = Replacement(node);
            if (parent is JsonObject obj) obj[key!] = replacement;
            else ((JsonArray)parent)[index] = replacement;
            what.Append(where).Append(":=").Append(Shorten(replacement?.ToJsonString() ?? "null")).Append(';');
        }

        string text = root.ToJsonString();
        // Numbers System.Text.Json cannot write as literals (beyond double) go in as raw text.
        if (random.Next(3) == 0)
        {
            string huge = HugeNumbers[random.Next(HugeNumbers.Length)];
            var numbers = System.Text.RegularExpressions.Regex.Matches(text, @"(?<=[:\[,])-?\d+(\.\d+)?([eE][-+]?\d+)?");
            if (numbers.Count > 0)
            {
                var m = numbers[random.Next(numbers.Count)];
                text = string.Concat(text.AsSpan(0, m.Index), huge, text.AsSpan(m.Index + m.Length));
                what.Append("number:=").Append(huge).Append(';');
            }
        }

        return (Encoding.UTF8.GetBytes(text), what.ToString());
    }

    private JsonNode? Replacement(JsonNode? original)
    {
        switch (random.Next(12))
        {
            case 0: return null;
            case 1: return JsonValue.Create(random.Next(2) == 0);
            case 2: return JsonValue.Create(random.Next(-3, 4));
            case 3: return JsonValue.Create(random.NextDouble() * 1e6 - 5e5);
            case 4: return JsonValue.Create(random.Next(2) == 0 ? "" : new string('x', random.Next(1, 5000)));
            case 5: return JsonValue.Create("\u0000\ud7ff\ufffd🙂\"\\");
            case 6: return new JsonArray();
            case 7: return new JsonObject();
            case 8: return new JsonArray(JsonValue.Create(1), JsonValue.Create("a"), null);
            case 9: return JsonValue.Create(double.MaxValue);
            case 10: return original is null ? null : new JsonArray(original.DeepClone());
            default: return original is null ? null : new JsonObject { ["value"] = original.DeepClone() };
        }
    }

    private static void Collect(JsonNode? parent, string? key, int index, JsonNode? node, List<(JsonNode?, string?, int, JsonNode?)> into)
    {
        into.Add((parent, key, index, node));
        if (node is JsonObject o)
        {
            foreach (var (k, v) in o) Collect(o, k, -1, v, into);
        }
        else if (node is JsonArray a)
        {
            for (int i = 0; i < a.Count; i++) Collect(a, null, i, a[i], into);
        }
    }

    private (byte[], string) Truncate(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        int cut = random.Next(bytes.Length);
        return (bytes[..cut], $"truncated at {cut}");
    }

    private (byte[], string) InvalidUtf8(string json)
    {
        byte[][] bad = [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0x80], [0xE2, 0x82]];
        var bytes = Encoding.UTF8.GetBytes(json).ToList();
        // Inside a string literal when there is one, where a decoder has to look at it.
        int quote = json.IndexOf('"', StringComparison.Ordinal);
        int at = quote >= 0 && random.Next(2) == 0 ? quote + 1 : random.Next(bytes.Count + 1);
        var seq = bad[random.Next(bad.Length)];
        bytes.InsertRange(at, seq);
        return ([.. bytes], $"invalid UTF-8 {Convert.ToHexString(seq)} at {at}");
    }

    private (byte[], string) FlipByte(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        int at = random.Next(bytes.Length);
        bytes[at] = (byte)random.Next(256);
        return (bytes, $"byte {at}:={bytes[at]:x2}");
    }

    private (byte[], string) DeepNesting(string json)
    {
        int depth = random.Next(2) == 0 ? random.Next(60, 200) : random.Next(1000, 100_000);
        bool arrays = random.Next(2) == 0;
        var nested = new StringBuilder(depth * 8);
        for (int i = 0; i < depth; i++) nested.Append(arrays ? "[" : "{\"a\":");
        nested.Append('1');
        for (int i = 0; i < depth; i++) nested.Append(arrays ? ']' : '}');
        // Either the whole body, or one field's value.
        string text = random.Next(2) == 0 ? nested.ToString() : ReplaceFirstValue(json, nested.ToString());
        return (Encoding.UTF8.GetBytes(text), $"nesting {depth} {(arrays ? "arrays" : "objects")}");
    }

    private static string ReplaceFirstValue(string json, string value)
    {
        int colon = json.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0) return value;
        var root = JsonNode.Parse(json) as JsonObject;
        if (root is null || root.Count == 0) return value;
        var key = root.First().Key;
        return "{" + System.Text.Json.JsonSerializer.Serialize(key) + ":" + value + "}";
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
