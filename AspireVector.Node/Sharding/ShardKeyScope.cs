namespace AspireVector.Node.Sharding;

/// <summary>
/// The shard key selector of the request being served, carried along its async flow so every collection operation it
/// makes (including the lookups a recommend or a payload update does first) is routed by it.
/// </summary>
/// <remarks>
/// An ambient value rather than a parameter: point requests reach the collection through some forty entry points (each
/// search, query, recommend, discover, facet, matrix, scroll, count, retrieve and update variant, over REST and gRPC),
/// and the selector only narrows which shards they touch. <see cref="AsyncLocal{T}"/> flows into awaited calls and is
/// restored when the method that set it returns, so one request's selector never leaks into another's. The selector
/// names the collection it was given for: a collection read along the way (a <c>lookup_from</c> or <c>with_lookup</c>
/// source) is not narrowed by it.
/// </remarks>
public static class ShardKeyScope
{
    private static readonly AsyncLocal<(string Collection, ShardKeySelector Selector)?> Routing = new();

    /// <summary>
    /// The selector the current request gave for collection <paramref name="collection"/>, or null (reads: every shard;
    /// writes: auto sharding only).
    /// </summary>
    public static ShardKeySelector? For(string collection) =>
        Routing.Value is { } r && string.Equals(r.Collection, collection, StringComparison.Ordinal) ? r.Selector : null;

    /// <summary>Routes what follows in the calling method on <paramref name="collection"/> by <paramref name="selector"/>, until disposed.</summary>
    public static Restore Enter(string collection, ShardKeySelector? selector)
    {
        var previous = Routing.Value;
        Routing.Value = selector is null ? null : (collection, selector);
        return new Restore(previous);
    }

    /// <summary>Runs <paramref name="run"/> routed on <paramref name="collection"/> by <paramref name="selector"/>.</summary>
    public static async Task<T> RunAsync<T>(string collection, ShardKeySelector? selector, Func<Task<T>> run)
    {
        // Local to this async method's flow: the caller's value is untouched.
        Routing.Value = selector is null ? null : (collection, selector);
        return await run().ConfigureAwait(false);
    }

    /// <summary>Puts the previous routing back.</summary>
    public readonly struct Restore((string Collection, ShardKeySelector Selector)? previous) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => Routing.Value = previous;
    }
}
