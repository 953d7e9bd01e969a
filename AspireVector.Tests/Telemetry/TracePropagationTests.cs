using System.Diagnostics;
using AspireVector.Node.Telemetry;
using AspireVector.ServiceDefaults.Tracing;
using Microsoft.AspNetCore.Http;

namespace AspireVector.Tests.Telemetry;

public sealed class TracePropagationTests
{
    private const string AspNetCoreSource = "Microsoft.AspNetCore";

    [Fact]
    public async Task Incoming_traceparent_becomes_the_parent_of_the_request_span()
    {
        using var collector = new ActivityCollector(AspNetCoreSource);
        await using var factory = NodeHost.Create();
        using var client = factory.CreateClient();
        var traceId = ActivityTraceId.CreateRandom();
        var parentId = ActivitySpanId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/livez");
        request.Headers.Add(TraceContext.TraceParentHeader, $"00-{traceId.ToHexString()}-{parentId.ToHexString()}-01");

        (await client.SendAsync(request)).EnsureSuccessStatusCode();

        // Hosting stops the request span just after the response is handed back, so wait for it.
        Assert.True(await Poll.UntilAsync(() => Task.FromResult(collector.InTrace(traceId).Count > 0),
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20)), "no request span in the incoming trace");
        var span = Assert.Single(collector.InTrace(traceId));
        Assert.Equal(parentId, span.ParentSpanId);
        Assert.Equal("GET /livez", span.DisplayName);
        Assert.Equal("/livez", span.GetTagItem("http.route"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
    }

    [Fact]
    public async Task A_shard_call_span_parents_the_remote_nodes_request_span()
    {
        using var collector = new ActivityCollector(AspNetCoreSource, NodeActivities.SourceName);
        await using var remote = NodeHost.Create();
        using var client = remote.CreateClient();

        ActivityTraceId traceId;
        ActivitySpanId shardSpanId;
        using (var shardCall = NodeActivities.StartShardCall("search", "books", 3, "http://node-2:6335"))
        {
            Assert.NotNull(shardCall);
            traceId = shardCall.TraceId;
            shardSpanId = shardCall.SpanId;
            using var request = new HttpRequestMessage(HttpMethod.Get, "/readyz");
            TraceContext.Inject(shardCall, request.Headers);
            Assert.Equal(shardCall.Id, request.Headers.GetValues(TraceContext.TraceParentHeader).Single());
            (await client.SendAsync(request)).EnsureSuccessStatusCode();
        }

        Assert.True(await Poll.UntilAsync(() => Task.FromResult(collector.InTrace(traceId).Count >= 2),
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20)), "the remote request span never joined the trace");
        var spans = collector.InTrace(traceId);
        var shard = Assert.Single(spans, s => s.Source.Name == NodeActivities.SourceName);
        Assert.Equal(ActivityKind.Client, shard.Kind);
        Assert.Equal("books", shard.GetTagItem("qdrant.collection"));
        var remoteSpan = Assert.Single(spans, s => s.Source.Name == AspNetCoreSource);
        Assert.Equal(shardSpanId, remoteSpan.ParentSpanId);
    }

    [Fact]
    public void Remote_handling_span_continues_the_callers_trace()
    {
        using var collector = new ActivityCollector(NodeActivities.SourceName);
        var previous = Activity.Current;
        Activity.Current = null;
        try
        {
            var traceId = ActivityTraceId.CreateRandom();
            var callerSpan = ActivitySpanId.CreateRandom();
            var headers = new HeaderDictionary
            {
                [TraceContext.TraceParentHeader] = $"00-{traceId.ToHexString()}-{callerSpan.ToHexString()}-01",
                [TraceContext.TraceStateHeader] = "av=1",
            };

            using var span = NodeActivities.StartRemoteHandling("search", headers);

            Assert.NotNull(span);
            Assert.Equal(traceId, span.TraceId);
            Assert.Equal(callerSpan, span.ParentSpanId);
            Assert.Equal(ActivityKind.Server, span.Kind);
            Assert.Equal("av=1", span.TraceStateString);
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    [Fact]
    public void Extract_rejects_missing_and_malformed_traceparent()
    {
        Assert.False(TraceContext.TryExtract(new HeaderDictionary(), out _));
        Assert.False(TraceContext.TryExtract(new HeaderDictionary { [TraceContext.TraceParentHeader] = "00-nothex-01" }, out _));
    }

    [Fact]
    public void Inject_leaves_an_existing_traceparent_alone()
    {
        using var collector = new ActivityCollector(NodeActivities.SourceName);
        using var span = NodeActivities.StartShardCall("upsert", "books", 0, "http://node-3:6335");
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://node-3:6335/");
        request.Headers.TryAddWithoutValidation(TraceContext.TraceParentHeader, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        Assert.False(TraceContext.Inject(span, request.Headers));
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            request.Headers.GetValues(TraceContext.TraceParentHeader).Single());
    }
}
