namespace AspireVector.Node.Collections;

/// <summary>One payload value and the number of points holding it (Qdrant's <c>FacetValueHit</c>).</summary>
/// <param name="Value">The value as JSON text: a string, an integer or a boolean.</param>
/// <param name="Count">Points holding it.</param>
public sealed record FacetHit(string Value, long Count);
