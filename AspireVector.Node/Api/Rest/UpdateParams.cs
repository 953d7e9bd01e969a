using AspireVector.Node.Collections;

namespace AspireVector.Node.Api.Rest;

/// <summary>The <c>?wait=</c> and <c>?ordering=</c> query parameters of update endpoints.</summary>
public static class UpdateParams
{
    /// <summary><c>ordering</c>: weak (the default), medium or strong.</summary>
    public static WriteOrdering Ordering(HttpContext context) => context.Request.Query["ordering"].ToString() switch
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
        if (query.TryGetValue("ordering", out var ordering) && ordering.ToString() is not ("weak" or "medium" or "strong"))
            throw new CollectionException(400, $"Query deserialize error: unknown variant `{ordering}`, expected one of `weak`, `medium`, `strong`");
        if (!query.TryGetValue("wait", out var wait)) return false;
        return wait.ToString() switch
        {
            "true" or "" => true,
            "false" => false,
            var other => throw new CollectionException(400, $"Query deserialize error: invalid value `{other}` for `wait`, expected true or false"),
        };
    }
}
