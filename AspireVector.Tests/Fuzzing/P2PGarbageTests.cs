using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using AspireVector.Node.P2P;
using AspireVector.Node.P2P.Grpc;
using AspireVector.Tests.Api.Rest;
using AspireVector.Tests.Cluster;

namespace AspireVector.Tests.Fuzzing;

/// <summary>
/// A cluster-mode node's P2P port fed garbage: random bytes, malformed HTTP/2 frames, and gRPC calls with malformed
/// message frames and headers. Every call must end with a gRPC status (never a handler crash), and afterwards the
/// node must still serve: consensus working, P2P answering, REST reads and writes.
/// </summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class P2PGarbageTests
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private static readonly string[] Methods =
    [
        P2PMethods.RaftSend, P2PMethods.RaftWhoIs, P2PMethods.RaftAddPeerToKnown, P2PMethods.HealthPing, P2PMethods.ConsensusGetCommit,
        P2PMethods.ConsensusWaitOnCommit, P2PMethods.ShardsUpdate, P2PMethods.ShardsRead, P2PMethods.ShardsBatch, P2PMethods.ShardsStartTransfer,
        P2PMethods.TelemetryGetPeer,
        "/aspirevector.p2p.Nope/Missing",
    ];

    [Fact]
    public async Task Garbage_bytes_malformed_http2_and_malformed_grpc_frames_leave_the_node_serving()
    {
        var random = new Random(20_261_202);
        await using var node = await InProcessClusterNode.StartAsync();
        var rest = new RestClient(node.Http);
        Assert.True(await Telemetry.Poll.UntilAsync(async () => (await node.Http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50)), "the node never became ready");
        await rest.CreateCollectionAsync("kept", size: 2, distance: "Dot");

        for (int i = 0; i < 40; i++) await RawAsync(node.P2PPort, RandomBytes(random, random.Next(1, 4096)));
        await RawAsync(node.P2PPort, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        await RawAsync(node.P2PPort, "POST /aspirevector.p2p.Health/Ping HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\nabc"u8.ToArray());
        for (int i = 0; i < 120; i++) await RawAsync(node.P2PPort, [.. Preface, .. RandomFrames(random)]);

        // All at once over multiplexed streams: shard calls for an unknown replica wait a few seconds (the caller
        // may be a commit ahead), which one after another would take minutes.
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = CallTimeout };
        var calls = new List<Task<string?>>();
        foreach (var method in Methods)
        {
            foreach (var (what, body, headers) in MalformedCalls(random))
            {
                calls.Add(DescribeFailureAsync(method, what, CallAsync(http, node.P2PPort, method, body, headers)));
            }
        }

        // Well-formed gRPC frames around garbage payloads, aimed at the real collection.
        foreach (var (method, what, message) in GarbagePayloads(random))
        {
            byte[] bytes = Google.Protobuf.MessageExtensions.ToByteArray(message);
            calls.Add(DescribeFailureAsync(method, what, CallAsync(http, node.P2PPort, method, [.. Prefix(0, bytes.Length), .. bytes], [])));
        }

        var failures = (await Task.WhenAll(calls)).Where(f => f is not null).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // Still serving: consensus, P2P and REST.
        Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync("/readyz")).StatusCode);
        using (var channel = new P2PChannel(new Uri(node.P2PUri)))
        {
            var pong = await channel.CallAsync(P2PMethods.HealthPing, new Node.P2P.Protos.PingRequest(), Node.P2P.Protos.PingReply.Parser);
            Assert.False(string.IsNullOrEmpty(pong.Version));
        }

        await rest.UpsertAsync("kept", """[{"id": 1, "vector": [1, 0]}, {"id": 2, "vector": [0, 1]}]""");
        var hits = (await rest.PostAsync("/collections/kept/points/search", """{"vector": [1, 0], "limit": 1}""")).Result;
        Assert.Equal(1, hits[0].GetProperty("id").GetInt32());
        await rest.CreateCollectionAsync("created_after", size: 2, distance: "Dot");
    }

    private static async Task<string?> DescribeFailureAsync(string method, string what, Task<string?> call) =>
        await call is { } outcome ? $"{method} [{what}]: {outcome}" : null;

    /// <summary>Calls with malformed gRPC message frames or headers; the method's own message type is not known here.</summary>
    private static IEnumerable<(string What, byte[] Body, Dictionary<string, string> Headers)> MalformedCalls(Random random)
    {
        var none = new Dictionary<string, string>();
        yield return ("empty body", [], none);
        yield return ("partial prefix", [0, 0, 0], none);
        yield return ("claims 2 GB", Prefix(0, int.MaxValue), none);
        yield return ("claims 100, sends 10", [.. Prefix(0, 100), .. RandomBytes(random, 10)], none);
        yield return ("compressed without encoding", [.. Prefix(1, 4), 1, 2, 3, 4], none);
        yield return ("gzip that is not gzip", [.. Prefix(1, 8), .. RandomBytes(random, 8)], new() { ["grpc-encoding"] = "gzip" });
        yield return ("unknown encoding", [.. Prefix(1, 2), 8, 1], new() { ["grpc-encoding"] = "br" });
        yield return ("flag 7", [.. Prefix(7, 0)], none);
        yield return ("two messages", [.. Prefix(0, 0), .. Prefix(0, 0)], none);
        yield return ("trailing bytes", [.. Prefix(0, 0), 9, 9], none);
        for (int i = 0; i < 12; i++)
        {
            var junk = RandomBytes(random, random.Next(1, 300));
            yield return ($"random protobuf {Convert.ToHexString(junk.AsSpan(0, Math.Min(8, junk.Length)))}", [.. Prefix(0, junk.Length), .. junk], none);
        }

        foreach (var timeout in new[] { "99999999999H", "-1S", "abc", "1", "0n", "5X" })
            yield return ($"grpc-timeout {timeout}", Prefix(0, 0), new() { ["grpc-timeout"] = timeout });
        yield return ("huge metadata", Prefix(0, 0), new() { ["x-junk"] = new string('j', 8000) });
    }

    private static IEnumerable<(string Method, string What, Google.Protobuf.IMessage Message)> GarbagePayloads(Random random)
    {
        string[] json = ["", "{", "[]", "null", "{\"kind\": 99}", "{\"kind\": \"search\", \"vector\": \"x\"}", "{\"ids\": [1e400]}", new('[', 5000)];
        for (int i = 0; i < 10; i++)
        {
            var junk = Google.Protobuf.ByteString.CopyFrom(RandomBytes(random, random.Next(0, 200)));
            uint shard = random.Next(2) == 0 ? 0 : uint.MaxValue;
            yield return (P2PMethods.RaftSend, $"raft bytes {i}", new Node.P2P.Protos.RaftMessageBytes { Message = junk });
            yield return (P2PMethods.ShardsUpdate, $"operation bytes {i} shard {shard}", new Node.P2P.Protos.ShardUpdateRequest { Collection = "kept", ShardId = shard, Operation = junk, Wait = true });
            yield return (P2PMethods.ShardsRead, $"read bytes {i} shard {shard}", new Node.P2P.Protos.ShardReadRequest { Collection = "kept", ShardId = shard, RequestJson = junk });
        }

        foreach (var text in json)
        {
            yield return (P2PMethods.ShardsRead, $"read json {text[..Math.Min(12, text.Length)]}", new Node.P2P.Protos.ShardReadRequest { Collection = "kept", RequestJson = Google.Protobuf.ByteString.CopyFromUtf8(text) });
            yield return (P2PMethods.ShardsUpdate, $"filter json {text[..Math.Min(12, text.Length)]}", new Node.P2P.Protos.ShardUpdateRequest { Collection = "kept", Operation = Google.Protobuf.ByteString.CopyFrom(1, 0, 0, 0), FilterJson = text.Length == 0 ? "x" : text });
            yield return (P2PMethods.ShardsBatch, $"offset json {text[..Math.Min(12, text.Length)]}", new Node.P2P.Protos.ShardBatchRequest { Collection = "kept", OffsetJson = text, Limit = uint.MaxValue });
        }

        yield return (P2PMethods.ConsensusWaitOnCommit, "timeout ulong.Max", new Node.P2P.Protos.WaitOnCommitRequest { Commit = 1, Timeout = ulong.MaxValue });
        yield return (P2PMethods.RaftWhoIs, "unknown peer", new Node.P2P.Protos.PeerIdRequest { Id = ulong.MaxValue });
        yield return (P2PMethods.ShardsStartTransfer, "transfer to nobody", new Node.P2P.Protos.ShardTransferRequest { Collection = "kept", ShardId = uint.MaxValue, FromPeer = 1, ToPeer = 2 });
    }

    /// <summary>Null when the call ended properly; otherwise what went wrong.</summary>
    private static async Task<string?> CallAsync(HttpClient http, int port, string method, byte[] body, Dictionary<string, string> headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}{method}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(GrpcProtocol.ContentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (k, v) in headers) request.Headers.TryAddWithoutValidation(k, v);
        try
        {
            using var response = await http.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode != HttpStatusCode.OK) return null; // refused at the HTTP level: fine
            string? status = Header(response, GrpcProtocol.StatusHeader);
            string message = Uri.UnescapeDataString(Header(response, GrpcProtocol.MessageHeader) ?? "");
            if (status is null) return "no grpc-status";
            if (status == "2" || message.Contains("Exception", StringComparison.Ordinal)) return $"handler failed: status {status} {message}";
            return null;
        }
        catch (HttpRequestException)
        {
            return null; // the server reset the stream or the connection: also a refusal
        }
        catch (TaskCanceledException)
        {
            return "no answer within " + CallTimeout;
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var t) ? t.First()
        : response.Headers.TryGetValues(name, out var h) ? h.First() : null;

    /// <summary>Writes <paramref name="bytes"/>, then reads whatever comes back until the server closes or 2 s pass.</summary>
    private static async Task RawAsync(int port, byte[] bytes)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(bytes);
            client.Client.Shutdown(SocketShutdown.Send);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var buffer = new byte[4096];
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // The server hung up on us or kept the connection open: either way, it is still listening (checked after).
        }
    }

    private static byte[] RandomFrames(Random random)
    {
        var frames = new List<byte>();
        for (int i = random.Next(1, 6); i > 0; i--)
        {
            int length = random.Next(4) == 0 ? random.Next(1 << 24) : random.Next(64);
            var header = new byte[9];
            header[0] = (byte)(length >> 16);
            header[1] = (byte)(length >> 8);
            header[2] = (byte)length;
            header[3] = (byte)random.Next(12);
            header[4] = (byte)random.Next(256);
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(5), (uint)random.Next(4));
            frames.AddRange(header);
            frames.AddRange(RandomBytes(random, Math.Min(length, 256)));
        }

        return [.. frames];
    }

    private static byte[] Prefix(byte flag, int length)
    {
        var prefix = new byte[5];
        prefix[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), (uint)length);
        return prefix;
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
