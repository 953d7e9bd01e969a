namespace AspireVector.Node.Api.Security;

/// <summary>
/// What a caller may do, as Qdrant's RBAC defines it: global manage (<c>m</c>), global read (<c>r</c>),
/// or per-collection read (<c>r</c>) / read-write (<c>rw</c>).
/// </summary>
public sealed class Access
{
    /// <summary>Full access (the api key, or a token with <c>access: "m"</c>).</summary>
    public static readonly Access Manage = new(GlobalLevel.Manage, null);

    /// <summary>Read-only everywhere (the read-only key, or <c>access: "r"</c>).</summary>
    public static readonly Access ReadOnly = new(GlobalLevel.Read, null);

    private Access(GlobalLevel global, IReadOnlyDictionary<string, bool>? collections)
    {
        Global = global;
        Collections = collections;
    }

    /// <summary>Global access level, or <see cref="GlobalLevel.None"/> when access is per collection.</summary>
    public GlobalLevel Global { get; }

    /// <summary>Per-collection grants: name -> may write.</summary>
    public IReadOnlyDictionary<string, bool>? Collections { get; }

    /// <summary>Access limited to the named collections.</summary>
    public static Access ForCollections(IReadOnlyDictionary<string, bool> collections) => new(GlobalLevel.None, collections);

    /// <summary>Decides whether this access allows <paramref name="operation"/>.</summary>
    public bool Allows(RestOperation operation)
    {
        if (Global == GlobalLevel.Manage) return true;
        if (Global == GlobalLevel.Read) return operation.Kind == OperationKind.Read;
        // Per-collection access: only operations on a named collection, never cluster-wide management.
        if (operation.Collection is null)
            return operation.Kind == OperationKind.Read && operation.ListsCollections;
        if (Collections is null || !Collections.TryGetValue(operation.Collection, out var canWrite)) return false;
        return operation.Kind switch
        {
            OperationKind.Read => true,
            OperationKind.Write => canWrite,
            _ => false,
        };
    }

    /// <summary>Global access levels.</summary>
    public enum GlobalLevel
    {
        None,
        Read,
        Manage,
    }
}
