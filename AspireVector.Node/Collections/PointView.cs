using System.Text.Json.Nodes;
using AspireVector.Node.Points;

namespace AspireVector.Node.Collections;

/// <summary>A point as read back: Qdrant's <c>Record</c> (no score) or <c>ScoredPoint</c>.</summary>
/// <param name="Id">Point id.</param>
/// <param name="Version">Operation number that last changed the point.</param>
/// <param name="Score">Search score, null for plain retrieval.</param>
/// <param name="Payload">Full payload (selection happens at the API edge).</param>
/// <param name="Vector">The stored vector when requested.</param>
public sealed record PointView(PointId Id, ulong Version, float? Score, JsonObject? Payload, float[]? Vector);
