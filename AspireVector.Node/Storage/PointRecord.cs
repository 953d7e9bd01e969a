using System.Text.Json.Nodes;
using AspireVector.Node.Points;

namespace AspireVector.Node.Storage;

/// <summary>One point of an upsert: id, vector (already normalised for Cosine) and optional payload.</summary>
/// <param name="Id">The point id.</param>
/// <param name="Vector">The dense vector; its length is the collection's dimension.</param>
/// <param name="Payload">The payload object, or null for none.</param>
public sealed record PointRecord(PointId Id, float[] Vector, JsonObject? Payload);
