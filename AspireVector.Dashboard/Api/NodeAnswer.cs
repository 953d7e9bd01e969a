using AspireVector.Dashboard.Configuration;

namespace AspireVector.Dashboard.Api;

/// <summary>What one node answered to a fan-out request: a value, or why it did not.</summary>
/// <typeparam name="T">Result type.</typeparam>
/// <param name="Node">The node asked.</param>
/// <param name="Value">The result when the node answered with success.</param>
/// <param name="Error">The API's error message or the transport failure otherwise.</param>
/// <param name="Reachable">False when the node could not be reached at all.</param>
public sealed record NodeAnswer<T>(NodeEndpoint Node, T? Value, string? Error, bool Reachable)
    where T : class;
