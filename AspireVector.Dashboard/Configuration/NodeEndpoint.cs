namespace AspireVector.Dashboard.Configuration;

/// <summary>A configured node: a display name and the base address of its public REST API.</summary>
/// <param name="Name">Aspire resource name (<c>node-0</c>) or the address itself for plain entries.</param>
/// <param name="BaseAddress">REST base address, always ending with a slash.</param>
public sealed record NodeEndpoint(string Name, Uri BaseAddress);
