namespace AspireVector.Node.Collections;

/// <summary>One step of Qdrant's <c>POST /collections/aliases</c>: create, delete or rename an alias.</summary>
/// <param name="Kind">What the step does.</param>
/// <param name="Alias">The alias created or deleted, or the old name of a renamed one.</param>
/// <param name="Collection">Create: the collection the alias points to.</param>
/// <param name="NewAlias">Rename: the alias' new name.</param>
public sealed record AliasAction(AliasActionKind Kind, string Alias, string? Collection = null, string? NewAlias = null);
