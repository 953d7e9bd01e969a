using System.Collections;
using AspireVector.Node.Configuration;

namespace AspireVector.Tests.Configuration;

public sealed class NodeConfigLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("av-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteYaml(string text)
    {
        var path = Path.Combine(_dir, "config.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private static NodeOptions Load(string[] args, params (string Name, string Value)[] env)
    {
        var environment = new Hashtable();
        foreach (var (name, value) in env) environment[name] = value;
        return NodeConfigLoader.Load(args, environment);
    }

    [Fact]
    public void Defaults_are_single_node_on_6333_with_local_storage()
    {
        var options = Load([]);
        Assert.Equal(6333, options.Service.HttpPort);
        Assert.Equal(6334, options.Service.GrpcPort);
        Assert.Equal("./storage", options.Storage.StoragePath);
        Assert.False(options.Cluster.Enabled);
        Assert.Equal(6335, options.Cluster.P2pPort);
        Assert.Equal(100, options.Cluster.TickPeriodMs);
        Assert.Equal(128, options.Cluster.CompactWalEntries);
    }

    [Fact]
    public void Yaml_file_with_qdrant_keys_is_applied()
    {
        var path = WriteYaml("""
            log_level: DEBUG
            storage:
              storage_path: /data/av
              wal:
                wal_capacity_mb: 64
              hnsw_index:
                m: 32
              optimizers:
                deleted_threshold: 0.2
            service:
              http_port: 7000
              grpc_port: null
            cluster:
              enabled: true
              p2p:
                port: 7100
              consensus:
                tick_period_ms: 50
            telemetry_disabled: false
            """);
        var options = Load(["--config-path", path]);
        Assert.Equal("DEBUG", options.LogLevel);
        Assert.Equal("/data/av", options.Storage.StoragePath);
        Assert.Equal(64, options.Storage.WalCapacityMb);
        Assert.Equal(32, options.Storage.HnswM);
        Assert.Equal(7000, options.Service.HttpPort);
        Assert.Null(options.Service.GrpcPort);
        Assert.True(options.Cluster.Enabled);
        Assert.Equal(7100, options.Cluster.P2pPort);
        Assert.Equal(50, options.Cluster.TickPeriodMs);
        Assert.Equal(Path.GetFullPath(path), options.ConfigPath);
    }

    [Fact]
    public void Environment_overrides_yaml_and_av_prefix_wins_over_qdrant_alias()
    {
        var path = WriteYaml("service:\n  http_port: 7000\n");
        var options = Load(["--config-path", path],
            ("QDRANT__SERVICE__HTTP_PORT", "7001"),
            ("AV__SERVICE__HTTP_PORT", "7002"),
            ("QDRANT__CLUSTER__ENABLED", "true"),
            ("AV__STORAGE__STORAGE_PATH", "/data"),
            ("AV__STORAGE__WAL__WAL_CAPACITY_MB", "8"),
            ("UNRELATED__X", "1"));
        Assert.Equal(7002, options.Service.HttpPort);
        Assert.True(options.Cluster.Enabled);
        Assert.Equal("/data", options.Storage.StoragePath);
        Assert.Equal(8, options.Storage.WalCapacityMb);
    }

    [Fact]
    public void Flags_set_uri_and_bootstrap_in_both_spellings()
    {
        var options = Load(["--uri", "http://node-1:6335", "--bootstrap=http://node-0:6335", "--environment=Development"]);
        Assert.Equal("http://node-1:6335", options.Uri);
        Assert.Equal("http://node-0:6335", options.Bootstrap);
    }

    [Fact]
    public void Snapshot_flags_name_the_files_to_restore_at_start_up()
    {
        var options = Load(["--snapshot", "/backups/a.snapshot:books", "--snapshot=/backups/b.snapshot:films", "--storage-snapshot", "/backups/full.snapshot",
            "--force-snapshot", "--disable-telemetry"]);
        Assert.Equal([("/backups/a.snapshot", "books"), ("/backups/b.snapshot", "films")], options.StartupSnapshots);
        Assert.Equal("/backups/full.snapshot", options.StartupStorageSnapshot);
        Assert.True(options.ForceSnapshot);
        Assert.False(Load([]).ForceSnapshot);
    }

    [Theory]
    [InlineData("AV__SERVICE__HTTP_PROT", "1", "service.http_prot", "unknown setting")]
    [InlineData("AV__SERVICE__HTTP_PORT", "seventy", "service.http_port", "expected an integer")]
    [InlineData("AV__SERVICE__HTTP_PORT", "70000", "service.http_port", "out of range")]
    [InlineData("QDRANT__CLUSTER__ENABLED", "maybe", "cluster.enabled", "expected true or false")]
    [InlineData("AV__STORAGE__NODE_TYPE", "Leader", "storage.node_type", "expected one of Normal, Listener")]
    [InlineData("AV__STORAGE__STORAGE_PATH", "", "storage.storage_path", "a value is required")]
    public void Invalid_environment_settings_fail_naming_the_key(string name, string value, string key, string message)
    {
        var e = Assert.Throws<NodeConfigException>(() => Load([], (name, value)));
        Assert.Equal(key, e.Key);
        Assert.Contains(key, e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Unknown_yaml_key_fails_naming_it()
    {
        var path = WriteYaml("storage:\n  storage_pth: /x\n");
        var e = Assert.Throws<NodeConfigException>(() => Load(["--config-path", path]));
        Assert.Equal("storage.storage_pth", e.Key);
    }

    [Theory]
    [InlineData("--verbose")]
    [InlineData("--uri", "node-1:6335")]
    [InlineData("--uri")]
    [InlineData("--config-path", "/nonexistent/config.yaml")]
    [InlineData("--snapshot", "books.snapshot")]
    [InlineData("--snapshot", "a:b:c")]
    [InlineData("--force-snapshot=yes")]
    [InlineData("--snapshot", "books.snapshot:books", "--uri", "http://node-1:6335")]
    [InlineData("--storage-snapshot", "full.snapshot", "--bootstrap", "http://node-0:6335")]
    public void Bad_flags_fail(params string[] args)
    {
        var e = Assert.Throws<NodeConfigException>(() => Load(args));
        Assert.StartsWith("--", e.Key);
    }

    [Fact]
    public void The_reference_qdrant_config_file_loads()
    {
        var reference = Path.Combine(RepoPaths.Shared, "reference", "qdrant-config.yaml");
        var options = Load(["--config-path", reference]);
        Assert.Equal(6333, options.Service.HttpPort);
        Assert.Equal(6335, options.Cluster.P2pPort);
    }
}
