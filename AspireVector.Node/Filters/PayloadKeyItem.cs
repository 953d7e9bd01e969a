namespace AspireVector.Node.Filters;

/// <summary>One step of a <see cref="PayloadKey"/> after its first key: <c>.name</c>, <c>[3]</c> or <c>[]</c>.</summary>
public readonly record struct PayloadKeyItem
{
    private PayloadKeyItem(PayloadKeyItemKind kind, string? name, int index)
    {
        Kind = kind;
        Name = name;
        Index = index;
    }

    /// <summary>Which kind of step this is.</summary>
    public PayloadKeyItemKind Kind { get; }

    /// <summary>The object key for <see cref="PayloadKeyItemKind.Key"/>; null otherwise.</summary>
    public string? Name { get; }

    /// <summary>The array index for <see cref="PayloadKeyItemKind.Index"/>; 0 otherwise.</summary>
    public int Index { get; }

    /// <summary>An object key step (<c>.name</c>).</summary>
    public static PayloadKeyItem Key(string name) => new(PayloadKeyItemKind.Key, name, 0);

    /// <summary>An array element step (<c>[i]</c>).</summary>
    public static PayloadKeyItem At(int index) => new(PayloadKeyItemKind.Index, null, index);

    /// <summary>Every array element (<c>[]</c>).</summary>
    public static PayloadKeyItem Wildcard { get; } = new(PayloadKeyItemKind.Wildcard, null, 0);
}
