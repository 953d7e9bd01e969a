using AspireVector.Node.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace AspireVector.Tests.Telemetry;

public sealed class PromtoolCheckTests
{
    // Qdrant names these gauges with "_total"; keeping Qdrant's names (so dashboards work unchanged) is
    // the requirement, so promtool's naming lint on exactly these is expected. Anything else fails.
    private static readonly string[] QdrantGaugesNamedTotal =
    [
        "collections_total", "collections_vector_total", "cluster_peers_total", "cluster_pending_operations_total",
    ];

    [Fact]
    [Trait("Category", "Process")]
    public async Task Promtool_finds_no_errors_in_a_node_exposition()
    {
        var cluster = new ClusterTelemetry
        {
            Enabled = true, PeerId = 7, PeersTotal = 3, Term = 2, Commit = 10, IsVoter = true,
            LastUpdate = DateTimeOffset.UtcNow, Role = RaftRoles.Leader,
        };
        await using var factory = NodeHost.Create(
            new FixedCollectionsSource(FixedCollectionsSource.Collection("with \"quotes\"\nand newline", 3)),
            new FixedClusterSource(cluster));
        using var client = factory.CreateClient();
        await client.GetAsync("/livez");
        await client.GetAsync("/missing");
        var metrics = factory.Services.GetRequiredService<NodeMetrics>();
        metrics.RecordP2pSendFailure("http://peer\\2:6335");
        metrics.RecordWalFlush(TimeSpan.FromMilliseconds(2));
        metrics.RecordHnswSearch(TimeSpan.FromMilliseconds(1));
        metrics.RecordGrpcResponse("/qdrant.Points/Upsert", 3, TimeSpan.FromMilliseconds(1));
        var exposition = await NodeHost.ScrapeAsync(client);

        await AssertCleanAsync(exposition);
    }

    /// <summary>Runs <c>promtool check metrics</c> on <paramref name="exposition"/>: no errors, no lint but Qdrant's names.</summary>
    internal static async Task AssertCleanAsync(string exposition)
    {
        var promtool = ExternalTool.Require("promtool");
        var (exitCode, stdout, stderr) = await ExternalTool.RunAsync(promtool, ["check", "metrics"], exposition, TimeSpan.FromSeconds(60));

        // promtool exits 1 on a parse error, 3 on lint findings only.
        Assert.True(exitCode is 0 or 3, $"promtool exit {exitCode}: {stderr}{stdout}\n--- exposition ---\n{exposition}");
        var findings = (stdout + stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var finding in findings)
        {
            Assert.True(
                QdrantGaugesNamedTotal.Any(name => finding == $"{name} non-counter metrics should not have \"_total\" suffix"),
                $"unexpected promtool finding: {finding}\n--- exposition ---\n{exposition}");
        }
    }
}
