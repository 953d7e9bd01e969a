using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AspireVector.Node.Filters;

/// <summary>
/// Qdrant's <c>with_payload</c>: <c>true</c>/<c>false</c>, a list of keys to include, <c>{"include": [..]}</c> or
/// <c>{"exclude": [..]}</c>. <see cref="Apply"/> returns what a response shows for a stored payload.
/// </summary>
public sealed class PayloadSelector
{
    private PayloadSelector(bool enabled, IReadOnlyList<PayloadKey>? include, IReadOnlyList<PayloadKey>? exclude)
    {
        Enabled = enabled;
        Include = include;
        Exclude = exclude;
    }

    /// <summary>Return the whole payload.</summary>
    public static PayloadSelector All { get; } = new(true, null, null);

    /// <summary>Return no payload.</summary>
    public static PayloadSelector None { get; } = new(false, null, null);

    /// <summary>False when the response carries no payload.</summary>
    public bool Enabled { get; }

    /// <summary>The included keys, when the selector is an include list.</summary>
    public IReadOnlyList<PayloadKey>? Include { get; }

    /// <summary>The excluded keys, when the selector is an exclude list.</summary>
    public IReadOnlyList<PayloadKey>? Exclude { get; }

    /// <summary>
    /// Reads a <c>with_payload</c> value; an absent value (<see cref="JsonValueKind.Undefined"/>) or null gives
    /// <paramref name="absent"/> (Qdrant: false for search/query, true for scroll and get).
    /// </summary>
    public static bool TryParse(JsonElement json, PayloadSelector absent, [NotNullWhen(true)] out PayloadSelector? selector, [NotNullWhen(false)] out string? error)
    {
        selector = null;
        error = null;
        switch (json.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                selector = absent;
                return true;
            case JsonValueKind.True:
                selector = All;
                return true;
            case JsonValueKind.False:
                selector = None;
                return true;
            case JsonValueKind.Array:
                if (!TryParseKeys(json, "with_payload", out var keys, out error)) return false;
                selector = new PayloadSelector(true, keys, null);
                return true;
            case JsonValueKind.Object:
                var count = 0;
                foreach (var _ in json.EnumerateObject()) count++;
                if (count == 1 && json.TryGetProperty("include", out var include))
                {
                    if (!TryParseKeys(include, "with_payload.include", out keys, out error)) return false;
                    selector = new PayloadSelector(true, keys, null);
                    return true;
                }
                if (count == 1 && json.TryGetProperty("exclude", out var exclude))
                {
                    if (!TryParseKeys(exclude, "with_payload.exclude", out keys, out error)) return false;
                    selector = new PayloadSelector(true, null, keys);
                    return true;
                }
                error = "with_payload: expected {\"include\": [...]} or {\"exclude\": [...]}";
                return false;
            default:
                error = "with_payload: expected a boolean, a list of payload keys, {\"include\": [...]} or {\"exclude\": [...]}";
                return false;
        }
    }

    /// <summary>
    /// The payload a response shows: null when disabled, the stored object itself when unrestricted (do not mutate
    /// it), otherwise a projected copy. A missing stored payload shows as an empty object.
    /// </summary>
    public JsonObject? Apply(JsonObject? payload)
    {
        if (!Enabled) return null;
        if (payload is null) return [];
        if (Include is not null) return PayloadProjection.Include(payload, Include);
        if (Exclude is not null) return PayloadProjection.Exclude(payload, Exclude);
        return payload;
    }

    private static bool TryParseKeys(JsonElement json, string path, [NotNullWhen(true)] out IReadOnlyList<PayloadKey>? keys, [NotNullWhen(false)] out string? error)
    {
        keys = null;
        if (json.ValueKind != JsonValueKind.Array)
        {
            error = $"{path}: expected a list of payload keys";
            return false;
        }
        var list = new List<PayloadKey>();
        var i = 0;
        foreach (var item in json.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                error = $"{path}[{i}]: expected a payload key string";
                return false;
            }
            if (!PayloadKey.TryParse(item.GetString(), out var key, out var keyError))
            {
                error = $"{path}[{i}]: {keyError}";
                return false;
            }
            list.Add(key);
            i++;
        }
        keys = list;
        error = null;
        return true;
    }
}
