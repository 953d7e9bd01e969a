namespace AspireVector.Node.Snapshots;

/// <summary>The HTTP client that downloads snapshots from <c>http(s)://</c> locations (one per node, long timeout).</summary>
public sealed class SnapshotHttpClient : IDisposable
{
    /// <summary>The client.</summary>
    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromHours(1) };

    /// <inheritdoc />
    public void Dispose() => Client.Dispose();
}
