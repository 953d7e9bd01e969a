using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using AspireVector.AppHost.Hosting;

namespace AspireVector.AppHost.Publishing;

/// <summary>
/// Writes the Aspire manifest (schema <c>aspire-8.0.json</c>): one <c>project.v0</c> entry per resource with
/// its project path (relative to the manifest), arguments, environment and endpoint bindings, values that
/// depend on the deployment left as <c>{resource.bindings.endpoint.property}</c> expressions.
/// </summary>
public static class ManifestPublisher
{
    /// <summary>Schema every Aspire 8+ manifest declares.</summary>
    public const string SchemaUrl = "https://json.schemastore.org/aspire-8.0.json";

    /// <summary>Writes the manifest of <paramref name="app"/> to <paramref name="outputPath"/>.</summary>
    public static int Publish(DistributedApplication app, string outputPath)
    {
        var fullPath = Path.GetFullPath(outputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        File.WriteAllText(fullPath, Render(app, Path.GetDirectoryName(fullPath)!), new UTF8Encoding(false));
        Console.WriteLine($"Wrote Aspire manifest ({app.Resources.Count} resources) to {fullPath}");
        return 0;
    }

    /// <summary>The manifest text, project paths relative to <paramref name="manifestDirectory"/>.</summary>
    public static string Render(DistributedApplication app, string manifestDirectory)
    {
        var publish = new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, IndentSize = 2 }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", SchemaUrl);
            json.WriteStartObject("resources");
            foreach (var resource in app.Resources)
            {
                json.WriteStartObject(resource.Name);
                json.WriteString("type", "project.v0");
                json.WriteString("path", Path.GetRelativePath(manifestDirectory, resource.ProjectPath).Replace('\\', '/'));
                WriteArgs(json, resource.GetArgs(publish));
                WriteEnvironment(json, resource.GetEnvironment(publish));
                WriteBindings(json, resource);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteArgs(Utf8JsonWriter json, IReadOnlyList<object> args)
    {
        if (args.Count == 0)
        {
            return;
        }

        json.WriteStartArray("args");
        foreach (var arg in args)
        {
            json.WriteStringValue(ResourceValue.ForManifest(arg));
        }

        json.WriteEndArray();
    }

    private static void WriteEnvironment(Utf8JsonWriter json, IReadOnlyList<KeyValuePair<string, object>> environment)
    {
        json.WriteStartObject("env");
        foreach (var (name, value) in environment)
        {
            json.WriteString(name, ResourceValue.ForManifest(value));
        }

        json.WriteEndObject();
    }

    private static void WriteBindings(Utf8JsonWriter json, ProjectResource resource)
    {
        json.WriteStartObject("bindings");
        foreach (var endpoint in resource.Endpoints)
        {
            json.WriteStartObject(endpoint.Name);
            json.WriteString("scheme", endpoint.UriScheme);
            json.WriteString("protocol", endpoint.Protocol == ProtocolType.Udp ? "udp" : "tcp");
            json.WriteString("transport", endpoint.Transport);
            if (endpoint.TargetPort is { } targetPort)
            {
                json.WriteNumber("targetPort", targetPort);
            }

            if (endpoint.IsExternal)
            {
                json.WriteBoolean("external", true);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }
}
