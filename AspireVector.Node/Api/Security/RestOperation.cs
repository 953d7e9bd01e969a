namespace AspireVector.Node.Api.Security;

/// <summary>How much a REST call needs: reading, writing points, or managing collections and the cluster.</summary>
public enum OperationKind
{
    Read,
    Write,
    Manage,
}

/// <summary>A REST request classified for authorization.</summary>
/// <param name="Kind">What the call needs.</param>
/// <param name="Collection">The collection the call targets, if any.</param>
/// <param name="ListsCollections">True for <c>GET /collections</c> and <c>GET /aliases</c>.</param>
public readonly record struct RestOperation(OperationKind Kind, string? Collection, bool ListsCollections = false)
{
    /// <summary>POST routes under <c>/collections/{name}/</c> that only read (Qdrant's read-only POST list).</summary>
    private static readonly string[] ReadOnlyPostSuffixes =
    [
        "points", "points/count", "points/search", "points/search/batch", "points/search/groups",
        "points/scroll", "points/query", "points/query/batch", "points/query/groups",
        "points/recommend", "points/recommend/batch", "points/recommend/groups",
        "points/discover", "points/discover/batch", "facet", "points/search/matrix/pairs",
        "points/search/matrix/offsets",
    ];

    /// <summary>Classifies a request by method and path, as Qdrant's auth middleware does.</summary>
    public static RestOperation Classify(string method, string path)
    {
        var segments = path.Trim('/').Split('/');
        string? collection = segments.Length >= 2 && segments[0] == "collections" ? Uri.UnescapeDataString(segments[1]) : null;
        bool isGet = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);
        if (segments[0] == "collections" && segments.Length == 1)
            return new(isGet ? OperationKind.Read : OperationKind.Manage, null, ListsCollections: isGet);
        if (segments[0] == "aliases") return new(OperationKind.Read, null, ListsCollections: isGet);
        // Full storage snapshots hold every collection: Qdrant asks for global manage access even to list or download.
        if (segments[0] == "snapshots") return new(OperationKind.Manage, null);
        if (collection is null)
            return new(isGet ? OperationKind.Read : OperationKind.Manage, null);

        var rest = string.Join('/', segments, 2, segments.Length - 2);
        if (isGet) return new(OperationKind.Read, collection);
        if (rest.Length == 0 || rest.StartsWith("cluster", StringComparison.Ordinal) ||
            rest.StartsWith("snapshots", StringComparison.Ordinal) || rest.StartsWith("shards", StringComparison.Ordinal) ||
            rest.StartsWith("aliases", StringComparison.Ordinal))
            return new(OperationKind.Manage, collection);
        if (HttpMethods.IsPost(method) && Array.IndexOf(ReadOnlyPostSuffixes, rest) >= 0)
            return new(OperationKind.Read, collection);
        return new(OperationKind.Write, collection);
    }
}
