using System.Text.Json;

namespace AspireVector.Dashboard.Api.Models;

/// <summary>One hit of <c>POST /collections/{name}/points/search</c>.</summary>
public sealed record ScoredPoint
{
    /// <summary>Point id (an unsigned integer or a UUID string), kept as raw JSON.</summary>
    public JsonElement Id { get; init; }

    /// <summary>Similarity score.</summary>
    public float Score { get; init; }

    /// <summary>Payload when requested, kept as raw JSON.</summary>
    public JsonElement? Payload { get; init; }

    /// <summary>The id as display text; integer ids stay exact.</summary>
    public string IdText => Id.ValueKind == JsonValueKind.String ? Id.GetString() ?? "" : Id.GetRawText();
}
