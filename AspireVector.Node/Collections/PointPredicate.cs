using System.Text.Json.Nodes;
using AspireVector.Node.Points;

namespace AspireVector.Node.Collections;

/// <summary>A parsed payload filter as the storage layer consumes it: does the point pass?</summary>
/// <param name="id">The point id (for <c>has_id</c>).</param>
/// <param name="payload">The point's payload, or null when it has none.</param>
public delegate bool PointPredicate(PointId id, JsonObject? payload);
