using AspireVector.Tests.Storage;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// The real node binary is SIGKILLed after acknowledged (<c>wait=true</c>) writes and restarted on the same storage:
/// every acknowledged point, payload change, deletion and config change must be there.
/// </summary>
[Trait("Category", "Process")]
[Collection(AspireVector.Tests.Cluster.ClusterProcesses.Name)]
public sealed class NodeCrashRecoveryTests
{
    private const string C = "/collections/durable";

    [Fact]
    public async Task Acknowledged_writes_survive_sigkill_and_restart()
    {
        using var dir = new TempDirectory();
        string storage = Path.Combine(dir.Path, "storage");
        string expectedPoints;
        string expectedConfig;

        using (var node = await NodeProcess.StartAsync(storage, dir.Path))
        {
            using var http = new HttpClient { BaseAddress = new Uri(node.Url) };
            var api = new RestClient(http);
            await api.CreateCollectionAsync("durable", distance: "Dot", extra: """, "shard_number": 2, "hnsw_config": {"m": 8}, "on_disk_payload": false""");
            for (int batch = 0; batch < 6; batch++) await UpsertBatchAsync(api, batch);

            Completed(await api.PostAsync($"{C}/points/delete?wait=true", """{"points": [1, 2, 3, 4, 5, "00000000-0000-0000-0000-000000000003"]}"""));
            Completed(await api.PostAsync($"{C}/points/delete?wait=true", """{"filter": {"must": [{"key": "batch", "match": {"value": 4}}]}}"""));
            Completed(await api.PostAsync($"{C}/points/payload?wait=true", """{"payload": {"flag": true}, "points": [10, 11, 12]}"""));
            Completed(await api.PostAsync($"{C}/points/payload?wait=true", """{"payload": {"hot": 1}, "filter": {"must": [{"key": "batch", "match": {"value": 2}}]}}"""));
            Completed(await api.PutAsync($"{C}/points/payload?wait=true", """{"payload": {"only": "this"}, "points": [20]}"""));
            Completed(await api.PostAsync($"{C}/points/payload/delete?wait=true", """{"keys": ["n"], "points": [21, 22]}"""));
            Completed(await api.PostAsync($"{C}/points/payload/clear?wait=true", """{"points": [23]}"""));
            Completed(await api.PutAsync($"{C}/index?wait=true", """{"field_name": "batch", "field_schema": "integer"}"""));
            Assert.True((await api.PatchAsync(C, """{"hnsw_config": {"ef_construct": 64}, "params": {"replication_factor": 2}}""")).Result.GetBoolean());
            // Upserted again after its deletion: the later write wins.
            await api.UpsertAsync("durable", """[{"id": 1, "vector": [9, 9, 9, 9], "payload": {"reborn": true}}]""");

            expectedPoints = await PointsAsync(api);
            expectedConfig = await ConfigAsync(api);
            Assert.Equal(6 * 30 - 5 - 1 - 30 + 1, await api.CountAsync("durable"));
            await node.KillAsync();
        }

        using (var node = await NodeProcess.StartAsync(storage, dir.Path))
        {
            using var http = new HttpClient { BaseAddress = new Uri(node.Url) };
            var api = new RestClient(http);
            Assert.Equal(expectedConfig, await ConfigAsync(api));
            Assert.Equal(expectedPoints, await PointsAsync(api));
            Assert.Equal(6 * 30 - 5 - 1 - 30 + 1, await api.CountAsync("durable"));
            Assert.Equal(JsonText.Canonical("""{"only": "this"}"""), JsonText.Canonical((await api.GetAsync($"{C}/points/20")).Result.GetProperty("payload")));
            Assert.Equal(0, await api.CountAsync("durable", """{"filter": {"must": [{"key": "batch", "match": {"value": 4}}]}}"""));
            var hit = (await api.PostAsync($"{C}/points/search", """{"vector": [1, 1, 1, 1], "limit": 1, "with_payload": true}""")).Result[0];
            Assert.Equal(1, hit.GetProperty("id").GetInt32());

            // The restarted node keeps taking writes on top of the recovered state.
            await api.UpsertAsync("durable", """[{"id": 1000, "vector": [1, 0, 0, 0]}]""");
            Assert.Equal(6 * 30 - 5 - 1 - 30 + 2, await api.CountAsync("durable"));
        }
    }

    /// <summary>30 points per batch: ids <c>batch*30 .. batch*30+29</c> (plus a UUID each), list and batch forms alternating.</summary>
    private static async Task UpsertBatchAsync(RestClient api, int batch)
    {
        var ids = Enumerable.Range(batch * 30, 29).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Append($"\"00000000-0000-0000-0000-{batch:D12}\"").ToList();
        var vectors = ids.Select((_, i) => $"[{batch}, {i}, 0.5, -1]").ToList();
        var payloads = ids.Select((_, i) => $$"""{"batch": {{batch}}, "n": {{i}}, "tag": "b{{batch}}"}""").ToList();
        string body = batch % 2 == 0
            ? "{\"points\": [" + string.Join(',', ids.Select((id, i) => $"{{\"id\": {id}, \"vector\": {vectors[i]}, \"payload\": {payloads[i]}}}")) + "]}"
            : $"{{\"batch\": {{\"ids\": [{string.Join(',', ids)}], \"vectors\": [{string.Join(',', vectors)}], \"payloads\": [{string.Join(',', payloads)}]}}}}";
        Completed(await api.PutAsync($"{C}/points?wait=true", body));
    }

    private static void Completed(RestAnswer answer) => Assert.Equal("completed", answer.Result.GetProperty("status").GetString());

    private static async Task<string> PointsAsync(RestClient api) =>
        string.Join('\n', (await api.ScrollAllAsync("durable")).Select(JsonText.Canonical));

    /// <summary>The collection info without its live counters.</summary>
    private static async Task<string> ConfigAsync(RestClient api)
    {
        var info = (await api.GetAsync(C)).Result;
        var schema = info.GetProperty("payload_schema").GetProperty("batch");
        Assert.Equal("integer", schema.GetProperty("data_type").GetString());
        return JsonText.Canonical(info.GetProperty("config")) + JsonText.Canonical(schema.GetProperty("data_type"));
    }
}
