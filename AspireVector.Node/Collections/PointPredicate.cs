using System.Text.Json.Nodes;
using AspireVector.Node.Filters;
using AspireVector.Node.Points;

namespace AspireVector.Node.Collections;

/// <summary>A parsed payload filter as the storage layer consumes it: does the point pass?</summary>
/// <param name="id">The point id (for <c>has_id</c>).</param>
/// <param name="payload">The point's payload, or null when it has none.</param>
/// <param name="vectors">The point's segment, answering <c>has_vector</c> (false for every name when null).</param>
/// <param name="offset">The point's offset in <paramref name="vectors"/>.</param>
public delegate bool PointPredicate(PointId id, JsonObject? payload, IPointVectors? vectors = null, int offset = -1);
