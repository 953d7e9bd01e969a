using System.Formats.Tar;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>Collection, shard and full snapshots: create, list, download, delete, recover (location and upload).</summary>
public sealed class SnapshotsApiTests(SnapshotRestNode node) : IClassFixture<SnapshotRestNode>
{
    private async Task SeedAsync(string name, int points, int shards = 2, int firstId = 0)
    {
        await node.CreateCollectionAsync(name, size: 4, distance: "Euclid", extra: $$""", "shard_number": {{shards}}""");
        await UpsertRangeAsync(name, firstId, points);
        var index = await node.PutAsync($"/collections/{name}/index?wait=true", """{"field_name": "city", "field_schema": "keyword"}""");
        Assert.Equal(HttpStatusCode.OK, index.Status);
    }

    private Task UpsertRangeAsync(string name, int firstId, int count)
    {
        var points = new StringBuilder("[");
        for (int i = firstId; i < firstId + count; i++)
        {
            if (i > firstId) points.Append(',');
            points.Append($$$"""{"id": {{{i}}}, "vector": [{{{i}}}, {{{i % 7}}}, 0.5, {{{-i}}}], "payload": {"city": "c{{{i % 5}}}", "n": {{{i}}}, "tags": ["t{{{i}}}"]}}""");
        }

        return node.UpsertAsync(name, points.Append(']').ToString());
    }

    private async Task<string> StateAsync(string name)
    {
        var points = await node.ScrollAllAsync(name);
        return string.Join('\n', points.Select(p => JsonText.Canonical(p)));
    }

    private async Task<JsonElement> CreateSnapshotAsync(string path)
    {
        var d = (await node.PostAsync(path, "")).Result;
        Assert.EndsWith(".snapshot", d.GetProperty("name").GetString());
        Assert.True(d.GetProperty("size").GetInt64() > 0);
        Assert.Matches("^[0-9a-f]{64}$", d.GetProperty("checksum").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$", d.GetProperty("creation_time").GetString());
        return d;
    }

    private static string FileUrl(string path) => new Uri(path).AbsoluteUri;

    [Fact]
    public async Task Collection_snapshot_round_trip_restores_points_vectors_payloads_and_indexes()
    {
        const string c = "snap-round-trip";
        await SeedAsync(c, 60);
        string before = await StateAsync(c);

        var created = await CreateSnapshotAsync($"/collections/{c}/snapshots");
        string name = created.GetProperty("name").GetString()!;
        Assert.StartsWith($"{c}-", name);
        var listed = (await node.GetAsync($"/collections/{c}/snapshots")).Result;
        Assert.Contains(listed.EnumerateArray(), d => d.GetProperty("name").GetString() == name);

        byte[] file = await node.DownloadAsync($"/collections/{c}/snapshots/{name}");
        Assert.Equal(created.GetProperty("size").GetInt64(), file.Length);
        Assert.Equal(created.GetProperty("checksum").GetString(), Convert.ToHexStringLower(SHA256.HashData(file)));

        // Upload into the deleted collection.
        Assert.True((await node.DeleteAsync($"/collections/{c}")).Result.GetBoolean());
        Assert.True((await node.UploadAsync($"/collections/{c}/snapshots/upload?priority=snapshot", file)).Result.GetBoolean());
        Assert.Equal(before, await StateAsync(c));
        var info = (await node.GetAsync($"/collections/{c}")).Result;
        Assert.Equal("keyword", info.GetProperty("payload_schema").GetProperty("city").GetProperty("data_type").GetString());
        Assert.Equal(2, info.GetProperty("config").GetProperty("params").GetProperty("shard_number").GetInt32());
        Assert.Equal(60, await node.CountAsync(c, """{"exact": true, "filter": {"must": [{"key": "city", "match": {"any": ["c0","c1","c2","c3","c4"]}}]}}"""));

        // Recover from the stored file over an existing collection that diverged, and into a new name.
        await UpsertRangeAsync(c, 1000, 5);
        await node.PostAsync($"/collections/{c}/points/delete?wait=true", """{"points": [1, 2, 3]}""");
        string location = FileUrl(Path.Combine(node.SnapshotsPath, c, name));
        string checksum = created.GetProperty("checksum").GetString()!;
        var recover = await node.PutAsync($"/collections/{c}/snapshots/recover", $$"""{"location": "{{location}}", "priority": "snapshot", "checksum": "{{checksum}}"}""");
        Assert.True(recover.Result.GetBoolean());
        Assert.Equal(before, await StateAsync(c));
        Assert.True((await node.PutAsync($"/collections/{c}-copy/snapshots/recover", $$"""{"location": "{{location}}"}""")).Result.GetBoolean());
        Assert.Equal(before, await StateAsync($"{c}-copy"));

        // The recovered collection takes writes and keeps them across its own snapshot.
        await UpsertRangeAsync(c, 2000, 3);
        Assert.Equal(63, await node.CountAsync(c));

        Assert.True((await node.DeleteAsync($"/collections/{c}/snapshots/{name}")).Result.GetBoolean());
        Assert.DoesNotContain((await node.GetAsync($"/collections/{c}/snapshots")).Result.EnumerateArray(), d => d.GetProperty("name").GetString() == name);
        (await node.GetAsync($"/collections/{c}/snapshots/{name}")).Error(HttpStatusCode.NotFound);
        (await node.DeleteAsync($"/collections/{c}/snapshots/{name}")).Error(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Wait_false_answers_accepted_and_the_snapshot_appears()
    {
        const string c = "snap-wait-false";
        await SeedAsync(c, 10);
        var answer = await node.PostAsync($"/collections/{c}/snapshots?wait=false", "");
        Assert.Equal(HttpStatusCode.Accepted, answer.Status);
        Assert.Equal("accepted", answer.Body.GetProperty("status").GetString());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await node.GetAsync($"/collections/{c}/snapshots")).Result.GetArrayLength() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the snapshot did not appear within 30 s");
            await Task.Delay(20);
        }
    }

    [Theory]
    [InlineData("snap-wait-yes", "wait=yes", "provided string was not `true` or `false`")]
    [InlineData("snap-wait-empty", "wait=", "provided string was not `true` or `false`")]
    [InlineData("snap-wait-twice", "wait=true&wait=true", "duplicate field `wait`")]
    public async Task Malformed_wait_is_a_query_deserialize_error_and_takes_no_snapshot(string c, string query, string detail)
    {
        await SeedAsync(c, 3);
        var answer = await node.PostAsync($"/collections/{c}/snapshots?{query}", "");
        Assert.Equal("Deserialize error in query parameters: " + detail, answer.Error(HttpStatusCode.BadRequest));
        Assert.Equal(0, (await node.GetAsync($"/collections/{c}/snapshots")).Result.GetArrayLength());
    }

    [Fact]
    public async Task Snapshot_taken_during_concurrent_writes_recovers_an_acknowledged_prefix()
    {
        const string c = "snap-concurrent";
        await node.CreateCollectionAsync(c, size: 4, distance: "Euclid");
        const int batch = 5;
        int acknowledged = 0;
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (int next = 0; !stop.IsCancellationRequested; next += batch)
            {
                await UpsertRangeAsync(c, next, batch);
                Volatile.Write(ref acknowledged, next + batch);
            }
        });

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Volatile.Read(ref acknowledged) < 100)
        {
            Assert.True(DateTime.UtcNow < deadline && !writer.IsCompleted, "the writer made no progress");
            await Task.Delay(10);
        }

        int ackedBefore = Volatile.Read(ref acknowledged);
        var created = await CreateSnapshotAsync($"/collections/{c}/snapshots");
        int ackedAfter = Volatile.Read(ref acknowledged);
        while (Volatile.Read(ref acknowledged) < ackedAfter + 50 && !writer.IsCompleted) await Task.Delay(10);
        stop.Cancel();
        await writer;

        string location = FileUrl(Path.Combine(node.SnapshotsPath, c, created.GetProperty("name").GetString()!));
        Assert.True((await node.PutAsync($"/collections/{c}-restored/snapshots/recover", $$"""{"location": "{{location}}"}""")).Result.GetBoolean());
        var restored = await node.ScrollAllAsync($"{c}-restored");
        var ids = restored.Select(p => p.GetProperty("id").GetInt32()).Order().ToList();
        // A prefix of the single writer's sequence: everything acknowledged before the snapshot started, at most one
        // batch in flight beyond what was acknowledged when it returned, and no gaps.
        Assert.InRange(ids.Count, ackedBefore, ackedAfter + batch);
        Assert.Equal(Enumerable.Range(0, ids.Count), ids);
        var original = (await node.ScrollAllAsync(c)).Take(ids.Count).Select(p => JsonText.Canonical(p));
        Assert.Equal(original, restored.Select(p => JsonText.Canonical(p)));
    }

    [Fact]
    public async Task Full_snapshot_round_trip_with_two_collections()
    {
        await SeedAsync("full-a", 20);
        await SeedAsync("full-b", 30, shards: 1, firstId: 500);
        string a = await StateAsync("full-a"), b = await StateAsync("full-b");

        var created = await CreateSnapshotAsync("/snapshots");
        string name = created.GetProperty("name").GetString()!;
        Assert.StartsWith("full-snapshot-", name);
        Assert.Contains((await node.GetAsync("/snapshots")).Result.EnumerateArray(), d => d.GetProperty("name").GetString() == name);
        byte[] file = await node.DownloadAsync($"/snapshots/{name}");
        Assert.Equal(created.GetProperty("checksum").GetString(), Convert.ToHexStringLower(SHA256.HashData(file)));

        // Qdrant's layout: config.json maps each collection to its collection snapshot inside the archive.
        var entries = new Dictionary<string, byte[]>();
        using (var reader = new TarReader(new MemoryStream(file)))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                using var data = new MemoryStream();
                entry.DataStream?.CopyTo(data);
                entries[entry.Name] = data.ToArray();
            }
        }

        using var config = JsonDocument.Parse(entries["config.json"]);
        var mapping = config.RootElement.GetProperty("collections_mapping");
        foreach (var (collection, state) in new[] { ("full-a", a), ("full-b", b) })
        {
            byte[] snapshot = entries[mapping.GetProperty(collection).GetString()!];
            Assert.True((await node.DeleteAsync($"/collections/{collection}")).Result.GetBoolean());
            Assert.True((await node.UploadAsync($"/collections/{collection}/snapshots/upload", snapshot)).Result.GetBoolean());
            Assert.Equal(state, await StateAsync(collection));
        }

        Assert.True((await node.DeleteAsync($"/snapshots/{name}")).Result.GetBoolean());
        (await node.GetAsync($"/snapshots/{name}")).Error(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Shard_snapshots_recover_one_shard_at_a_time()
    {
        const string c = "snap-shards";
        await SeedAsync(c, 40);
        string before = await StateAsync(c);
        var s0 = await CreateSnapshotAsync($"/collections/{c}/shards/0/snapshots");
        var s1 = await CreateSnapshotAsync($"/collections/{c}/shards/1/snapshots");
        Assert.Single((await node.GetAsync($"/collections/{c}/shards/0/snapshots")).Result.EnumerateArray());
        byte[] shard0 = await node.DownloadAsync($"/collections/{c}/shards/0/snapshots/{s0.GetProperty("name").GetString()}");

        // Streamed without keeping a file: a shard archive with its manifest.
        byte[] streamed = await node.DownloadAsync($"/collections/{c}/shards/1/snapshot");
        using (var reader = new TarReader(new MemoryStream(streamed)))
        {
            var names = new List<string>();
            while (reader.GetNextEntry() is { } entry) names.Add(entry.Name);
            Assert.Contains("manifest.json", names);
            Assert.Contains("segments/CURRENT", names);
        }

        await node.PostAsync($"/collections/{c}/points/delete?wait=true", """{"filter": {}}""");
        Assert.Equal(0, await node.CountAsync(c));
        Assert.True((await node.UploadAsync($"/collections/{c}/shards/0/snapshots/upload", shard0)).Result.GetBoolean());
        long afterShard0 = await node.CountAsync(c);
        Assert.InRange(afterShard0, 1, 39);
        string location = FileUrl(Path.Combine(node.SnapshotsPath, c, "shards", "1", s1.GetProperty("name").GetString()!));
        Assert.True((await node.PutAsync($"/collections/{c}/shards/1/snapshots/recover", $$"""{"location": "{{location}}"}""")).Result.GetBoolean());
        Assert.Equal(before, await StateAsync(c));

        (await node.PostAsync($"/collections/{c}/shards/7/snapshots", "")).Error(HttpStatusCode.NotFound);
        (await node.PostAsync($"/collections/{c}/shards/x/snapshots", "")).Error(HttpStatusCode.BadRequest);
        // A shard snapshot is not a collection snapshot.
        string wrongKind = (await node.UploadAsync($"/collections/{c}/snapshots/upload", shard0)).Error(HttpStatusCode.BadRequest);
        Assert.Contains("collection snapshot is needed", wrongKind);
        Assert.Equal(before, await StateAsync(c));
    }

    [Fact]
    public async Task Checksum_mismatch_is_refused_and_changes_nothing()
    {
        const string c = "snap-checksum";
        await SeedAsync(c, 10);
        var created = await CreateSnapshotAsync($"/collections/{c}/snapshots");
        string name = created.GetProperty("name").GetString()!;
        byte[] file = await node.DownloadAsync($"/collections/{c}/snapshots/{name}");
        await UpsertRangeAsync(c, 100, 5);
        string state = await StateAsync(c);
        string wrong = new('0', 64);

        string location = FileUrl(Path.Combine(node.SnapshotsPath, c, name));
        string error = (await node.PutAsync($"/collections/{c}/snapshots/recover", $$"""{"location": "{{location}}", "checksum": "{{wrong}}"}""")).Error(HttpStatusCode.BadRequest);
        Assert.Contains("checksum mismatch", error);
        error = (await node.UploadAsync($"/collections/{c}/snapshots/upload?checksum={wrong}", file)).Error(HttpStatusCode.BadRequest);
        Assert.Contains("checksum mismatch", error);
        Assert.Equal(state, await StateAsync(c));
        Assert.False((await node.GetAsync($"/collections/{c}")).Status == HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Garbage_and_hostile_archives_are_refused_and_change_nothing()
    {
        const string c = "snap-garbage";
        await SeedAsync(c, 10);
        string state = await StateAsync(c);
        var random = new Random(42);
        byte[] garbage = new byte[100_000];
        random.NextBytes(garbage);

        string error = (await node.UploadAsync($"/collections/{c}/snapshots/upload", garbage)).Error(HttpStatusCode.BadRequest);
        Assert.Contains("invalid snapshot file", error);
        (await node.UploadAsync($"/collections/{c}/snapshots/upload", [])).Error(HttpStatusCode.BadRequest);
        (await node.UploadAsync($"/collections/{c}-new/snapshots/upload", garbage)).Error(HttpStatusCode.BadRequest);
        (await node.GetAsync($"/collections/{c}-new")).Error(HttpStatusCode.NotFound);

        string victim = Path.Combine(Path.GetTempPath(), $"av-escape-{Guid.NewGuid():N}");
        foreach (var entryName in new[] { $"../../../../../../..{victim}", victim, "0/../../escape" })
        {
            error = (await node.UploadAsync($"/collections/{c}/snapshots/upload", Tar((entryName, "x"u8.ToArray())))).Error(HttpStatusCode.BadRequest);
            Assert.Contains("invalid snapshot file", error);
        }
        Assert.False(File.Exists(victim));

        // A well-formed tar that is not a snapshot, and one whose segment is garbage.
        error = (await node.UploadAsync($"/collections/{c}/snapshots/upload", Tar(("hello.txt", "hi"u8.ToArray())))).Error(HttpStatusCode.BadRequest);
        Assert.Contains("manifest.json", error);
        var manifest = """{"format":"aspirevector-snapshot","version":1,"kind":"collection","peer_id":1}"""u8.ToArray();
        var config = """{"vectors":{"size":4,"distance":"Euclid"},"shard_number":1}"""u8.ToArray();
        error = (await node.UploadAsync($"/collections/{c}/snapshots/upload", Tar(("manifest.json", manifest), ("config.json", config),
            ("0/segments/CURRENT", "s"u8.ToArray()), ("0/segments/s/points.bin", garbage[..1000]), ("0/segments/s/index/x", garbage[..10]))))
            .Error(HttpStatusCode.BadRequest);
        Assert.Contains("invalid snapshot file", error);

        (await node.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/collections/{c}/snapshots/upload") { Content = new StringContent("{}", Encoding.UTF8, "application/json") }))
            .Error(HttpStatusCode.BadRequest);
        (await node.PutAsync($"/collections/{c}/snapshots/recover", """{"location": "ftp://host/x.snapshot"}""")).Error(HttpStatusCode.BadRequest);
        (await node.PutAsync($"/collections/{c}/snapshots/recover", """{"location": "not a url"}""")).Error(HttpStatusCode.BadRequest);
        (await node.PutAsync($"/collections/{c}/snapshots/recover", """{"location": "file:///x.snapshot", "priority": "first"}""")).Error(HttpStatusCode.BadRequest);
        (await node.PutAsync($"/collections/{c}/snapshots/recover", """{"priority": "snapshot"}""")).Error(HttpStatusCode.BadRequest);
        Assert.Equal(state, await StateAsync(c));
    }

    [Fact]
    public async Task Path_traversal_in_names_and_locations_never_reaches_files_outside_the_snapshots_folder()
    {
        const string c = "snap-traversal";
        await SeedAsync(c, 3);
        await CreateSnapshotAsync($"/collections/{c}/snapshots");
        // A file next to the collection's snapshot folder that a traversal would reach.
        string outside = Path.Combine(node.SnapshotsPath, "outside.snapshot");
        await File.WriteAllTextAsync(outside, "secret");

        foreach (var path in new[]
        {
            $"/collections/{c}/snapshots/..%2Foutside.snapshot",
            $"/collections/{c}/snapshots/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
            "/snapshots/..%2F..%2Fetc%2Fpasswd",
            $"/collections/{c}/shards/0/snapshots/..%2F..%2F..%2Foutside.snapshot",
        })
        {
            var get = await node.GetAsync(path);
            Assert.True(get.Status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{path}: {(int)get.Status} {get.Raw}");
            Assert.DoesNotContain("secret", get.Raw);
            var delete = await node.DeleteAsync(path);
            Assert.True(delete.Status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{path}: {(int)delete.Status} {delete.Raw}");
        }

        // As the server sees paths the client would have normalised away.
        foreach (var path in new[] { $"/collections/{c}/snapshots/../outside.snapshot", $"/collections/{c}/snapshots/..", "/snapshots/.." })
        {
            foreach (var method in new[] { "GET", "DELETE" })
            {
                var raw = await node.SendRawAsync(method, path, "");
                Assert.True(raw.Status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{method} {path}: {(int)raw.Status} {raw.Raw}");
            }
        }

        Assert.True(File.Exists(outside));

        // file:// locations must be inside snapshots_path.
        string error = (await node.PutAsync($"/collections/{c}/snapshots/recover", """{"location": "file:///etc/passwd"}""")).Error(HttpStatusCode.BadRequest);
        Assert.Contains("inside the snapshots directory", error);
        string sneaky = FileUrl(node.SnapshotsPath) + "/../../../../etc/passwd";
        (await node.PutAsync($"/collections/{c}/snapshots/recover", $$"""{"location": "{{sneaky}}"}""")).Error(HttpStatusCode.BadRequest);
        Assert.Equal(3, await node.CountAsync(c));
    }

    private static byte[] Tar(params (string Name, byte[] Data)[] files)
    {
        using var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, data) in files)
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        }

        return stream.ToArray();
    }
}
