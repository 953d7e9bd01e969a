using AspireVector.Node.Collections;

namespace AspireVector.Node.Api.Rest;

/// <summary>The <c>?wait=</c> and <c>?ordering=</c> query parameters of update endpoints.</summary>
public static class UpdateParams
{
    /// <summary><c>ordering</c>: weak (the default), medium or strong.</summary>
    public static WriteOrdering Ordering(HttpContext context) => QueryParameters.Single(context.Request.Query, "ordering") switch
    {
        "medium" => WriteOrdering.Medium,
        "strong" => WriteOrdering.Strong,
        _ => WriteOrdering.Weak, // validated by Wait
    };

    /// <summary>
    /// <c>wait</c>: true waits for the WAL fsync (<c>completed</c>); false (the default, as in Qdrant) answers
    /// <c>acknowledged</c>. Also validates <c>ordering</c> (weak|medium|strong): one local replica makes them equal.
    /// </summary>
    public static bool Wait(HttpContext context)
    {
        var query = context.Request.Query;
        if (QueryParameters.Single(query, "ordering") is { } ordering && ordering is not ("weak" or "medium" or "strong"))
            throw QueryParameters.DeserializeError($"unknown variant `{ordering}`, expected one of `weak`, `medium`, `strong`");
        return QueryParameters.ReadBool(query, "wait") ?? false;
    }
}
