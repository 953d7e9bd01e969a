using System.Net;
using System.Net.Sockets;
using AspireVector.AppHost;
using AspireVector.AppHost.Hosting;
using AspireVector.AppHost.Orchestration;

namespace AspireVector.Tests.AppHost;

public sealed class ResourceModelTests
{
    private static readonly DistributedApplicationExecutionContext Run = new(DistributedApplicationOperation.Run);
    private static readonly DistributedApplicationExecutionContext Publish = new(DistributedApplicationOperation.Publish);

    private static ProjectResource Resource(DistributedApplication app, string name) => app.Resources.Single(r => r.Name == name);

    private static Dictionary<string, string> RunEnvironment(ProjectResource resource) =>
        resource.GetEnvironment(Run).ToDictionary(e => e.Key, e => ResourceValue.ForRun(e.Value));

    [Fact]
    public void Nodes_get_their_own_ports_from_the_port_base()
    {
        var app = Program.BuildApplication(["--port-base", "7000", "--nodes", "4"]);

        Assert.Equal(5, app.Resources.Count);
        var node3 = Resource(app, "node-3");
        Assert.Equal([7030, 7031, 7032], node3.Endpoints.Select(e => e.Port!.Value));
        Assert.Equal([6333, 6334, 6335], node3.Endpoints.Select(e => e.TargetPort!.Value));
        var env = RunEnvironment(node3);
        Assert.Equal("7030", env["AV__SERVICE__HTTP_PORT"]);
        Assert.Equal("7031", env["AV__SERVICE__GRPC_PORT"]);
        Assert.Equal("7032", env["AV__CLUSTER__P2P__PORT"]);
        Assert.Equal("true", env["AV__CLUSTER__ENABLED"]);
        Assert.Equal("true", env["AV__CLUSTER__SELF_HEALING__ENABLED"]);
        Assert.Equal("127.0.0.1", env["AV__SERVICE__HOST"]);
    }

    [Fact]
    public void Local_run_passes_concrete_uris_and_storage_under_the_data_dir()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "av-model-data");
        var app = Program.BuildApplication(["--port-base", "7000", "--data-dir", dataDir]);

        var node1 = Resource(app, "node-1");
        Assert.Equal(["--uri", "http://127.0.0.1:7012", "--bootstrap", "http://127.0.0.1:7002"], node1.GetArgs(Run).Select(ResourceValue.ForRun));
        Assert.Equal(Path.Combine(dataDir, "node-1", "storage"), RunEnvironment(node1)["AV__STORAGE__STORAGE_PATH"]);
        Assert.Equal("http://127.0.0.1:7010", RunEnvironment(node1)["ASPNETCORE_URLS"]);
    }

    [Fact]
    public void With_reference_sets_the_service_discovery_variable_per_mode()
    {
        var app = Program.BuildApplication(["--port-base", "7000", "--dashboard-port", "7999"]);
        var dashboard = Resource(app, "dashboard");

        var local = RunEnvironment(dashboard);
        var published = dashboard.GetEnvironment(Publish).ToDictionary(e => e.Key, e => ResourceValue.ForManifest(e.Value));

        Assert.Equal("http://127.0.0.1:7020", local["services__node-2__http__0"]);
        Assert.Equal("http://127.0.0.1:7999", local["ASPNETCORE_URLS"]);
        Assert.Equal("{node-2.bindings.http.url}", published["services__node-2__http__0"]);
        Assert.Equal(["node-0", "node-1", "node-2"], dashboard.References.Select(r => r.Name));
    }

    [Fact]
    public void Settings_parse_switches_and_reject_bad_values_naming_the_flag()
    {
        var app = Program.BuildApplication(["--service-monitor", "--restart", "never", "--nodes", "1"]);
        Assert.True(app.Settings.ServiceMonitor);
        Assert.Equal(RestartPolicy.Never, app.Settings.Restart);
        Assert.Equal(2, app.Resources.Count);

        Assert.Contains("--nodes", Assert.Throws<ArgumentException>(() => Program.BuildApplication(["--nodes", "0"])).Message, StringComparison.Ordinal);
        Assert.Contains("--restart", Assert.Throws<ArgumentException>(() => Program.BuildApplication(["--restart", "sometimes"])).Message, StringComparison.Ordinal);
        Assert.Contains("--port-base", Assert.Throws<ArgumentException>(() => Program.BuildApplication(["--port-base", "x"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_publisher_exits_with_a_clear_error()
    {
        Assert.Equal(2, Program.Main(["--publisher", "helm"]));
    }

    [Fact]
    public void A_taken_port_is_reported_by_number_and_owner()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;

        var error = Assert.Throws<AppHostException>(() => PortAvailability.EnsureFree([("node-1 grpc", port)]));

        Assert.Contains($"Port {port} (node-1 grpc) is already in use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_build_output_says_to_build_first()
    {
        var resource = new ProjectResource("ghost", Path.Combine(Path.GetTempPath(), "nowhere", "Ghost.csproj"));

        var error = Assert.Throws<AppHostException>(() => BuildOutput.DllPath(resource));

        Assert.Contains("Ghost.dll", error.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet build", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cluster_answer_of_seed_000_is_read_as_three_peers_and_a_leader()
    {
        const string json = """
            {"result":{"status":"enabled","peer_id":1903200026991620,
              "peers":{"3388008540355016":{"uri":"http://a:6335/"},"1903200026991620":{"uri":"http://b:6335/"},"7301051252924645":{"uri":"http://c:6335/"}},
              "raft_info":{"term":2,"commit":24,"pending_operations":0,"leader":7301051252924645,"role":"Follower","is_voter":true}},
             "status":"ok","time":0.00001}
            """;

        var view = LocalRunner.ParseClusterView(json);

        Assert.Equal(new ClusterView(1903200026991620, 3, 7301051252924645, 2), view);
    }
}
