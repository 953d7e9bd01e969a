using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace AspireVector.Benchmarks.Load;

/// <summary>
/// The few Qdrant REST calls the <c>load</c> command makes, over one pooled <see cref="HttpClient"/>
/// (no proxy, one connection per client worker).
/// </summary>
public sealed class LoadClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;

    public LoadClient(Uri baseAddress, int connections)
    {
        var handler = new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
    }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>Drops <paramref name="name"/> if present and creates it with cosine vectors of <paramref name="dim"/>.</summary>
    public async Task RecreateCollectionAsync(string name, int dim, string? extraConfig = null)
    {
        await DeleteCollectionAsync(name);
        string extra = string.IsNullOrWhiteSpace(extraConfig) ? "" : "," + extraConfig.Trim().TrimStart('{').TrimEnd('}');
        string body = $$$"""{"vectors":{"size":{{{dim}}},"distance":"Cosine"}{{{extra}}}}""";
        using var created = await _http.PutAsync($"collections/{name}", new StringContent(body, null, "application/json"));
        await EnsureAsync(created, "create collection");
    }

    /// <summary>Deletes <paramref name="name"/>; a collection that is not there is fine (Qdrant answers 404 or false).</summary>
    public async Task DeleteCollectionAsync(string name)
    {
        using var response = await _http.DeleteAsync($"collections/{name}");
        if (response.StatusCode != HttpStatusCode.NotFound) await EnsureAsync(response, "delete collection");
    }

    /// <summary>Sends one upsert body (see <see cref="UpsertBody"/>).</summary>
    public async Task UpsertAsync(string name, ReadOnlyMemory<byte> body, bool wait)
    {
        using var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = Json;
        using var response = await _http.PutAsync($"collections/{name}/points?wait={(wait ? "true" : "false")}", content);
        await EnsureAsync(response, "upsert");
    }

    /// <summary>A nearest-neighbour query; returns the number of hits.</summary>
    public async Task<int> QueryAsync(string name, ReadOnlyMemory<byte> body)
    {
        using var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = Json;
        using var response = await _http.PostAsync($"collections/{name}/points/query", content);
        await EnsureAsync(response, "query");
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        return json.RootElement.GetProperty("result").GetProperty("points").GetArrayLength();
    }

    /// <summary>Exact point count of <paramref name="name"/>.</summary>
    public async Task<long> CountAsync(string name)
    {
        using var response = await _http.PostAsync($"collections/{name}/points/count", new StringContent("""{"exact":true}""", null, "application/json"));
        await EnsureAsync(response, "count");
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        return json.RootElement.GetProperty("result").GetProperty("count").GetInt64();
    }

    /// <summary><c>points_count</c> and <c>indexed_vectors_count</c> of <paramref name="name"/>.</summary>
    public async Task<(long Points, long Indexed)> IndexingStateAsync(string name)
    {
        using var response = await _http.GetAsync($"collections/{name}");
        await EnsureAsync(response, "collection info");
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        var result = json.RootElement.GetProperty("result");
        return (result.GetProperty("points_count").GetInt64(), result.GetProperty("indexed_vectors_count").GetInt64());
    }

    /// <summary>Whether <c>/readyz</c> answers 200; false while the node is down or starting.</summary>
    public async Task<bool> IsReadyAsync()
    {
        try
        {
            using var response = await _http.GetAsync("readyz");
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>
    /// <c>{"points":[{"id":..,"vector":[..],"payload":{"n":..,"group":".."}}, ..]}</c> for ids
    /// <paramref name="first"/>.. with vectors from a generator seeded per batch, so the data set does not depend
    /// on how batches are spread over clients.
    /// </summary>
    public static void UpsertBody(ArrayBufferWriter<byte> into, int first, int count, int dim, int seed)
    {
        var random = new Random(unchecked(seed * 7919 + first));
        using var w = new Utf8JsonWriter(into);
        w.WriteStartObject();
        w.WriteStartArray("points");
        for (int id = first; id < first + count; id++)
        {
            w.WriteStartObject();
            w.WriteNumber("id", id);
            w.WriteStartArray("vector");
            for (int d = 0; d < dim; d++) w.WriteNumberValue(random.NextSingle() * 2 - 1);
            w.WriteEndArray();
            w.WriteStartObject("payload");
            w.WriteNumber("n", id);
            w.WriteString("group", GroupNames[id % GroupNames.Length]);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary><c>{"query":[..],"limit":..}</c> with a random vector.</summary>
    public static byte[] QueryBody(Random random, int dim, int limit)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("query");
            for (int d = 0; d < dim; d++) w.WriteNumberValue(random.NextSingle() * 2 - 1);
            w.WriteEndArray();
            w.WriteNumber("limit", limit);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public void Dispose() => _http.Dispose();

    private static readonly string[] GroupNames = ["g0", "g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8", "g9"];

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode) return;
        string body = await response.Content.ReadAsStringAsync();
        throw new HttpRequestException($"{what} failed: {(int)response.StatusCode} {body}", null, response.StatusCode);
    }
}
