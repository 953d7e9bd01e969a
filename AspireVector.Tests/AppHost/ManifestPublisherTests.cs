using System.Text.Json;
using AspireVector.AppHost;
using AspireVector.AppHost.Publishing;

namespace AspireVector.Tests.AppHost;

public sealed class ManifestPublisherTests
{
    [Fact]
    public void Committed_manifest_is_the_publisher_output()
    {
        var app = Program.BuildApplication([]);

        var rendered = ManifestPublisher.Render(app, RepositoryPaths.Root);

        var committed = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "aspire-manifest.json"));
        Assert.Equal(committed.ReplaceLineEndings("\n"), rendered);
    }

    [Fact]
    public void Manifest_has_project_resources_with_http_grpc_and_p2p_bindings()
    {
        using var manifest = JsonDocument.Parse(ManifestPublisher.Render(Program.BuildApplication([]), RepositoryPaths.Root));
        var root = manifest.RootElement;
        Assert.Equal("https://json.schemastore.org/aspire-8.0.json", root.GetProperty("$schema").GetString());

        var resources = root.GetProperty("resources");
        Assert.Equal(["dashboard", "node-0", "node-1", "node-2"], resources.EnumerateObject().Select(p => p.Name));
        foreach (var resource in resources.EnumerateObject())
        {
            Assert.Equal("project.v0", resource.Value.GetProperty("type").GetString());
        }

        var node = resources.GetProperty("node-1");
        Assert.Equal("AspireVector.Node/AspireVector.Node.csproj", node.GetProperty("path").GetString());
        var bindings = node.GetProperty("bindings");
        AssertBinding(bindings.GetProperty("http"), "http", 6333);
        AssertBinding(bindings.GetProperty("grpc"), "http2", 6334);
        AssertBinding(bindings.GetProperty("p2p"), "http2", 6335);
        Assert.Equal("{node-1.bindings.http.targetPort}", node.GetProperty("env").GetProperty("AV__SERVICE__HTTP_PORT").GetString());
        Assert.Equal("true", node.GetProperty("env").GetProperty("AV__CLUSTER__ENABLED").GetString());
    }

    [Fact]
    public void Node_zero_founds_the_cluster_and_the_others_bootstrap_from_it()
    {
        using var manifest = JsonDocument.Parse(ManifestPublisher.Render(Program.BuildApplication([]), RepositoryPaths.Root));
        var resources = manifest.RootElement.GetProperty("resources");

        Assert.Equal<string>(["--uri", "{node-0.bindings.p2p.url}"], Args(resources, "node-0"));
        Assert.Equal<string>(["--uri", "{node-2.bindings.p2p.url}", "--bootstrap", "{node-0.bindings.p2p.url}"], Args(resources, "node-2"));
    }

    [Fact]
    public void Dashboard_is_told_every_node_through_service_discovery_variables()
    {
        using var manifest = JsonDocument.Parse(ManifestPublisher.Render(Program.BuildApplication(["--nodes", "5"]), RepositoryPaths.Root));
        var env = manifest.RootElement.GetProperty("resources").GetProperty("dashboard").GetProperty("env");

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal($"{{node-{i}.bindings.http.url}}", env.GetProperty($"services__node-{i}__http__0").GetString());
        }

        Assert.False(env.TryGetProperty("services__node-5__http__0", out _));
    }

    [Fact]
    public void Publish_writes_the_file_at_the_output_path()
    {
        var directory = Directory.CreateTempSubdirectory("av-manifest-");
        try
        {
            var output = Path.Combine(directory.FullName, "out", "manifest.json");

            var exitCode = Program.Main(["--publisher", "manifest", "--output-path", output]);

            Assert.Equal(0, exitCode);
            using var manifest = JsonDocument.Parse(File.ReadAllText(output));
            var path = manifest.RootElement.GetProperty("resources").GetProperty("node-0").GetProperty("path").GetString()!;
            Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(output)!, path)), path);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static void AssertBinding(JsonElement binding, string transport, int targetPort)
    {
        Assert.Equal("http", binding.GetProperty("scheme").GetString());
        Assert.Equal("tcp", binding.GetProperty("protocol").GetString());
        Assert.Equal(transport, binding.GetProperty("transport").GetString());
        Assert.Equal(targetPort, binding.GetProperty("targetPort").GetInt32());
    }

    private static List<string> Args(JsonElement resources, string name) =>
        [.. resources.GetProperty(name).GetProperty("args").EnumerateArray().Select(a => a.GetString()!)];
}
