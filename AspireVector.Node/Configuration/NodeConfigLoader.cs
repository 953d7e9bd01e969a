using System.Collections;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AspireVector.Node.Configuration;

/// <summary>
/// Reads <see cref="NodeOptions"/> the way Qdrant does: the YAML file (<c>--config-path</c>, else
/// <c>config/config.yaml</c> when present), then environment variables <c>AV__SECTION__KEY</c> and the alias
/// <c>QDRANT__SECTION__KEY</c> (AV wins), then Qdrant's flags <c>--uri</c>, <c>--bootstrap</c>, <c>--snapshot</c>,
/// <c>--storage-snapshot</c>, <c>--force-snapshot</c> and <c>--disable-telemetry</c>.
/// Unknown or invalid settings fail fast with a <see cref="NodeConfigException"/> naming the key.
/// </summary>
public static class NodeConfigLoader
{
    /// <summary>The default config file, relative to the working directory.</summary>
    public const string DefaultConfigPath = "config/config.yaml";

    /// <summary>ASP.NET host switches that the test host and tooling pass through; not ours to reject.</summary>
    private static readonly string[] HostSwitches = ["--environment", "--contentRoot", "--applicationName", "--urls"];

    private static readonly string[] ValueFlags = ["--uri", "--bootstrap", "--config-path", "--snapshot", "--storage-snapshot"];

    /// <summary>
    /// Switches without a value. <c>--disable-telemetry</c> turns off Qdrant's anonymous usage reports; AspireVector sends
    /// none, so it is accepted and changes nothing.
    /// </summary>
    private static readonly string[] Switches = ["--force-snapshot", "--disable-telemetry"];

    /// <summary>Loads the options for <paramref name="args"/> and the process environment.</summary>
    public static NodeOptions Load(string[] args) => Load(args, Environment.GetEnvironmentVariables());

    /// <summary>Loads the options for <paramref name="args"/> and an explicit environment.</summary>
    public static NodeOptions Load(string[] args, IDictionary environment)
    {
        var flags = ParseFlags(args);
        var options = new NodeOptions();

        string? configPath = Last(flags, "--config-path");
        if (configPath is not null && !File.Exists(configPath))
            throw new NodeConfigException("--config-path", $"file \"{configPath}\" does not exist");
        configPath ??= File.Exists(DefaultConfigPath) ? DefaultConfigPath : null;
        if (configPath is not null)
        {
            foreach (var (key, value) in ReadYaml(configPath)) NodeConfigKeys.Apply(options, key, value);
            options.ConfigPath = Path.GetFullPath(configPath);
        }

        foreach (var (key, value) in ReadEnvironment(environment)) NodeConfigKeys.Apply(options, key, value);

        if (Last(flags, "--uri") is { } uri) options.Uri = ValidateUri("--uri", uri);
        if (Last(flags, "--bootstrap") is { } bootstrap) options.Bootstrap = ValidateUri("--bootstrap", bootstrap);
        foreach (var snapshot in flags.GetValueOrDefault("--snapshot") ?? [])
        {
            var parts = snapshot.Split(':');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new NodeConfigException("--snapshot", $"\"{snapshot}\" is not <snapshot_file_path>:<target_collection_name>");
            options.StartupSnapshots.Add((parts[0], parts[1]));
        }

        options.StartupStorageSnapshot = Last(flags, "--storage-snapshot");
        options.ForceSnapshot = flags.ContainsKey("--force-snapshot");
        if ((options.StartupSnapshots.Count > 0 || options.StartupStorageSnapshot is not null) && (options.Cluster.Enabled || options.Uri is not null || options.Bootstrap is not null))
            throw new NodeConfigException(options.StartupStorageSnapshot is null ? "--snapshot" : "--storage-snapshot",
                "restores a single node; in cluster mode recover each peer through the API (PUT /collections/{name}/snapshots/recover)");
        return options;
    }

    private static string? Last(Dictionary<string, List<string>> flags, string name) => flags.TryGetValue(name, out var values) ? values[^1] : null;

    /// <summary>Flattens a YAML document into dotted keys (<c>cluster.p2p.port</c>) with scalar values.</summary>
    internal static IEnumerable<KeyValuePair<string, string?>> ReadYaml(string path)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new NodeConfigException(path, $"not valid YAML at line {e.Start.Line}: {e.Message}");
        }
        if (stream.Documents.Count == 0) return [];
        var result = new List<KeyValuePair<string, string?>>();
        Flatten(stream.Documents[0].RootNode, "", result);
        return result;
    }

    private static void Flatten(YamlNode node, string prefix, List<KeyValuePair<string, string?>> into)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (k, v) in map.Children)
                {
                    var name = ((YamlScalarNode)k).Value ?? "";
                    Flatten(v, prefix.Length == 0 ? name : prefix + "." + name, into);
                }
                break;
            case YamlScalarNode scalar:
                if (prefix.Length == 0) return; // an empty document
                bool isNull = scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "null" or "~";
                into.Add(new(prefix, isNull ? null : scalar.Value));
                break;
            default:
                throw new NodeConfigException(prefix, "lists are not supported for this setting");
        }
    }

    /// <summary>Environment variables <c>QDRANT__A__B</c> then <c>AV__A__B</c> as dotted lower-case keys.</summary>
    internal static IEnumerable<KeyValuePair<string, string?>> ReadEnvironment(IDictionary environment)
    {
        var qdrant = new List<KeyValuePair<string, string?>>();
        var ours = new List<KeyValuePair<string, string?>>();
        foreach (DictionaryEntry entry in environment)
        {
            var name = (string)entry.Key;
            var target = name.StartsWith("AV__", StringComparison.Ordinal) ? ours
                : name.StartsWith("QDRANT__", StringComparison.Ordinal) ? qdrant : null;
            if (target is null) continue;
            var key = name[(name.IndexOf("__", StringComparison.Ordinal) + 2)..].Replace("__", ".", StringComparison.Ordinal).ToLowerInvariant();
            target.Add(new(key, entry.Value as string));
        }
        qdrant.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        ours.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return qdrant.Concat(ours);
    }

    private static Dictionary<string, List<string>> ParseFlags(string[] args)
    {
        var flags = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string name = arg, value;
            int eq = arg.IndexOf('=');
            if (eq > 0) name = arg[..eq];
            if (Array.IndexOf(HostSwitches, name) >= 0)
            {
                if (eq < 0) i++;
                continue;
            }
            if (Array.IndexOf(Switches, name) >= 0)
            {
                if (eq > 0) throw new NodeConfigException(name, "takes no value");
                flags[name] = ["true"];
                continue;
            }
            if (Array.IndexOf(ValueFlags, name) < 0)
                throw new NodeConfigException(arg, $"unknown command-line flag (expected one of {string.Join(", ", ValueFlags.Concat(Switches))})");
            if (eq > 0) value = arg[(eq + 1)..];
            else if (i + 1 < args.Length) value = args[++i];
            else throw new NodeConfigException(name, "a value is required");
            if (!flags.TryGetValue(name, out var values)) flags[name] = values = [];
            values.Add(value);
        }
        return flags;
    }

    private static string ValidateUri(string flag, string value)
    {
        if (!System.Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https") || uri.Port <= 0)
            throw new NodeConfigException(flag, $"\"{value}\" is not an http(s) URI with a port, e.g. http://node-1:6335");
        return value;
    }
}
