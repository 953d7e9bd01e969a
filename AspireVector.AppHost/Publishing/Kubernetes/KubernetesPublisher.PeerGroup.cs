using System.Globalization;
using AspireVector.AppHost.Hosting;

namespace AspireVector.AppHost.Publishing.Kubernetes;

public static partial class KubernetesPublisher
{
    /// <summary>Settings that go to the ConfigMap rather than the pod's environment.</summary>
    private const string SettingsPrefix = "AV__";

    private static IEnumerable<object> PeerGroupDocuments(
        string group, List<ProjectResource> peers, KubernetesValueResolver resolver)
    {
        var names = new KubernetesNames(group);
        var template = peers[0];
        var labels = YamlText.Map(("app", group));
        var publish = new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish);
        var environment = template.GetEnvironment(publish)
            .Select(e => new KeyValuePair<string, string>(e.Key, resolver.Resolve(e.Value, template, KubernetesValueResolver.Syntax.Kubernetes)))
            .ToList();

        yield return YamlText.Map(
            ("apiVersion", "v1"),
            ("kind", "ConfigMap"),
            ("metadata", YamlText.Map(("name", names.ConfigMap), ("labels", labels))),
            ("data", YamlText.Map(("config.yaml", NodeConfigYaml(environment)))));

        yield return YamlText.Map(
            ("apiVersion", "v1"),
            ("kind", "Service"),
            ("metadata", YamlText.Map(("name", names.HeadlessService), ("labels", YamlText.Map(("app", group), ("role", "peers"))))),
            ("spec", YamlText.Map(
                ("clusterIP", "None"),
                // Peers must resolve each other before they are ready: readiness needs the cluster formed.
                ("publishNotReadyAddresses", true),
                ("selector", labels),
                ("ports", ServicePorts(template, template.Endpoints)))));

        yield return YamlText.Map(
            ("apiVersion", "v1"),
            ("kind", "Service"),
            ("metadata", YamlText.Map(("name", names.ClientService), ("labels", YamlText.Map(("app", group), ("role", "clients"))))),
            ("spec", YamlText.Map(
                ("type", "ClusterIP"),
                ("selector", labels),
                ("ports", ServicePorts(template, template.Endpoints.Where(e => e.Name != "p2p"))))));

        yield return StatefulSet(names, peers, labels, environment, resolver);

        yield return YamlText.Map(
            ("apiVersion", "policy/v1"),
            ("kind", "PodDisruptionBudget"),
            ("metadata", YamlText.Map(("name", names.StatefulSet), ("labels", labels))),
            ("spec", YamlText.Map(
                // One voluntary eviction at a time keeps a Raft majority and every shard's other replica.
                ("maxUnavailable", 1),
                ("selector", YamlText.Map(("matchLabels", labels))))));
    }

    private static object StatefulSet(
        KubernetesNames names,
        List<ProjectResource> peers,
        OrderedDictionary<string, object> labels,
        List<KeyValuePair<string, string>> environment,
        KubernetesValueResolver resolver)
    {
        var template = peers[0];
        var http = template.GetEndpointAnnotation("http").TargetPort!.Value.ToString(CultureInfo.InvariantCulture);
        var container = YamlText.Map(
            ("name", "node"),
            ("image", ImageFor(template)),
            ("imagePullPolicy", "IfNotPresent"),
            ("command", YamlText.List("/bin/sh", "-c", StartScript(names, peers, resolver))),
            ("env", PodEnvironment(environment.Where(e => !e.Key.StartsWith(SettingsPrefix, StringComparison.Ordinal)))),
            ("ports", ContainerPorts(template)),
            ("readinessProbe", Probe(template.ReadinessPath, 5, 5, 3)),
            ("livenessProbe", Probe(template.LivenessPath, 15, 10, 6)),
            ("resources", YamlText.Map(
                ("requests", YamlText.Map(("cpu", "500m"), ("memory", "1Gi"))),
                ("limits", YamlText.Map(("memory", "4Gi"))))),
            ("securityContext", ContainerSecurity()),
            ("volumeMounts", YamlText.List(
                YamlText.Map(("name", "storage"), ("mountPath", NodeResourceExtensions.ContainerStoragePath)),
                YamlText.Map(("name", "config"), ("mountPath", KubernetesNames.ConfigDirectory)))));

        return YamlText.Map(
            ("apiVersion", "apps/v1"),
            ("kind", "StatefulSet"),
            ("metadata", YamlText.Map(("name", names.StatefulSet), ("labels", labels))),
            ("spec", YamlText.Map(
                ("serviceName", names.HeadlessService),
                ("replicas", peers.Count),
                // Parallel, not OrderedReady: after a full restart pod 0 alone has no Raft majority, so it
                // would never turn ready and the others would never be started.
                ("podManagementPolicy", "Parallel"),
                ("selector", YamlText.Map(("matchLabels", labels))),
                ("template", YamlText.Map(
                    ("metadata", YamlText.Map(
                        ("labels", labels),
                        ("annotations", YamlText.Map(
                            ("prometheus.io/scrape", "true"),
                            ("prometheus.io/port", http),
                            ("prometheus.io/path", "/metrics"))))),
                    ("spec", YamlText.Map(
                        ("terminationGracePeriodSeconds", 30),
                        ("securityContext", PodSecurity()),
                        ("containers", YamlText.List(container)),
                        ("volumes", YamlText.List(
                            YamlText.Map(("name", "config"), ("configMap", YamlText.Map(("name", names.ConfigMap)))))))))),
                ("volumeClaimTemplates", YamlText.List(YamlText.Map(
                    ("metadata", YamlText.Map(("name", "storage"))),
                    ("spec", YamlText.Map(
                        ("accessModes", YamlText.List("ReadWriteOnce")),
                        ("resources", YamlText.Map(("requests", YamlText.Map(("storage", "10Gi")))))))))))));
    }

    /// <summary>
    /// The shell entry point: every pod shares one template, so the script picks each pod's arguments by
    /// its name (pod 0 founds the cluster with <c>--uri</c>, the others add <c>--bootstrap</c> to pod 0).
    /// </summary>
    private static string StartScript(KubernetesNames names, List<ProjectResource> peers, KubernetesValueResolver resolver)
    {
        var publish = new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish);
        var dll = Path.GetFileNameWithoutExtension(peers[0].ProjectPath) + ".dll";
        var commands = peers.Select(peer =>
        {
            var args = peer.GetArgs(publish).Select(a => $"\"{resolver.Resolve(a, peer, KubernetesValueResolver.Syntax.Shell)}\"");
            return $"exec dotnet /app/{dll} --config-path \"{KubernetesNames.ConfigDirectory}/config.yaml\" {string.Join(' ', args)}";
        }).ToList();

        var script = new List<string> { "set -e", "case \"${POD_NAME}\" in" };
        var fallback = commands[^1];
        for (var i = 0; i < peers.Count - 1; i++)
        {
            if (commands[i] != fallback)
            {
                script.Add($"  {names.PodName(i)})");
                script.Add($"    echo \"starting {names.PodName(i)}: {Unquoted(commands[i])}\"");
                script.Add($"    {commands[i]} ;;");
            }
        }

        // Pods added later by scaling up join like the last declared peer.
        script.Add("  *)");
        script.Add($"    echo \"starting ${{POD_NAME}}: {Unquoted(fallback)}\"");
        script.Add($"    {fallback} ;;");
        script.Add("esac");
        return string.Join('\n', script) + "\n";
    }

    private static string Unquoted(string command) => command.Replace("\"", "", StringComparison.Ordinal);

    /// <summary>
    /// <c>config.yaml</c> with Qdrant's key names, built from the model's <c>AV__SECTION__KEY</c> settings
    /// (<c>AV__CLUSTER__P2P__PORT=6335</c> becomes <c>cluster: p2p: port: 6335</c>).
    /// </summary>
    private static string NodeConfigYaml(List<KeyValuePair<string, string>> environment)
    {
        var root = YamlText.Map(("log_level", "INFO"));
        foreach (var (name, value) in environment.Where(e => e.Key.StartsWith(SettingsPrefix, StringComparison.Ordinal)))
        {
            var path = name[SettingsPrefix.Length..].ToLowerInvariant().Split("__");
            var node = root;
            foreach (var section in path[..^1])
            {
                if (!node.TryGetValue(section, out var child))
                {
                    child = YamlText.Map();
                    node[section] = child;
                }

                node = (OrderedDictionary<string, object>)child;
            }

            node[path[^1]] = TypedScalar(value);
        }

        return YamlText.Serialize(root);
    }

    private static object TypedScalar(string value) =>
        bool.TryParse(value, out var flag) ? flag
        : long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number
        : value;

    private static List<object> ServicePorts(ProjectResource resource, IEnumerable<EndpointAnnotation> endpoints) =>
        endpoints.Select(e => (object)YamlText.Map(
            ("name", e.Name),
            ("port", e.TargetPort),
            ("targetPort", e.Name),
            ("protocol", "TCP"),
            ("appProtocol", e.Transport == "http2" ? "kubernetes.io/h2c" : null))).ToList();

    private static object ServiceMonitor(KubernetesNames names) => YamlText.Map(
        ("apiVersion", "monitoring.coreos.com/v1"),
        ("kind", "ServiceMonitor"),
        ("metadata", YamlText.Map(("name", names.StatefulSet), ("labels", YamlText.Map(("app", names.Group))))),
        ("spec", YamlText.Map(
            // The headless Service lists every pod, ready or not: each peer is scraped once.
            ("selector", YamlText.Map(("matchLabels", YamlText.Map(("app", names.Group), ("role", "peers"))))),
            ("endpoints", YamlText.List(YamlText.Map(("port", "http"), ("path", "/metrics"), ("interval", "15s")))))));
}
