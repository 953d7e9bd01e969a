namespace AspireVector.Node.Sharding;

/// <summary>
/// The shard key selector of the request being served, carried along its async flow so every collection operation it
/// makes (including the lookups a recommend or a payload update does first) is routed by it.
/// </summary>
/// <remarks>
/// An ambient value rather than a parameter: point requests reach the collection through some forty entry points (each
/// search, query, recommend, discover, facet, matrix, scroll, count, retrieve and update variant, over REST and gRPC),
/// and the selector only narrows which shards they touch. <see cref="AsyncLocal{T}"/> flows into awaited calls and is
/// restored when the method that set it returns, so one request's selector never leaks into another's.
/// </remarks>
public static class ShardKeyScope
{
    private static readonly AsyncLocal<ShardKeySelector?> Selector = new();

    /// <summary>The selector of the current request, or null (reads: every shard; writes: auto sharding only).</summary>
    public static ShardKeySelector? Current => Selector.Value;

    /// <summary>Routes what follows in the calling method by <paramref name="selector"/>, until disposed.</summary>
    public static Restore Enter(ShardKeySelector? selector)
    {
        var previous = Selector.Value;
        Selector.Value = selector;
        return new Restore(previous);
    }

    /// <summary>Runs <paramref name="run"/> routed by <paramref name="selector"/>.</summary>
    public static async Task<T> RunAsync<T>(ShardKeySelector? selector, Func<Task<T>> run)
    {
        Selector.Value = selector; // local to this async method's flow: the caller's value is untouched
        return await run().ConfigureAwait(false);
    }

    /// <summary>Puts the previous selector back.</summary>
    public readonly struct Restore(ShardKeySelector? previous) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => Selector.Value = previous;
    }
}
