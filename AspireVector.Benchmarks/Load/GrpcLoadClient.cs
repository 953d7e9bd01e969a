using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace AspireVector.Benchmarks.Load;

/// <summary>
/// The measured calls of the <c>load</c> command through Qdrant's gRPC API with the official .NET client, on the
/// same data as <see cref="LoadClient"/>'s JSON bodies (same generator and seeds).
/// </summary>
public sealed class GrpcLoadClient : IDisposable
{
    private static readonly string[] GroupNames = ["g0", "g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8", "g9"];
    private readonly QdrantClient _client;

    public GrpcLoadClient(string host, int port) => _client = new QdrantClient(host, port);

    /// <summary>Upserts ids <paramref name="first"/>.. as <see cref="LoadClient.UpsertBody"/> would write them.</summary>
    public Task UpsertAsync(string name, int first, int count, int dim, int seed, bool wait)
    {
        var random = new Random(unchecked(seed * 7919 + first));
        var points = new List<PointStruct>(count);
        for (int id = first; id < first + count; id++)
        {
            var vector = new float[dim];
            for (int d = 0; d < dim; d++) vector[d] = random.NextSingle() * 2 - 1;
            points.Add(new PointStruct { Id = (ulong)id, Vectors = vector, Payload = { ["n"] = id, ["group"] = GroupNames[id % GroupNames.Length] } });
        }
        return _client.UpsertAsync(name, points, wait);
    }

    /// <summary>A nearest-neighbour query; returns the number of hits.</summary>
    public async Task<int> QueryAsync(string name, float[] vector, int limit) =>
        (await _client.QueryAsync(name, query: vector, limit: (ulong)limit)).Count;

    /// <summary>The query vector <see cref="LoadClient.QueryBody"/> would write for <paramref name="random"/>.</summary>
    public static float[] QueryVector(Random random, int dim)
    {
        var vector = new float[dim];
        for (int d = 0; d < dim; d++) vector[d] = random.NextSingle() * 2 - 1;
        return vector;
    }

    public void Dispose() => _client.Dispose();
}
