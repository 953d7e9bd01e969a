using System.Diagnostics;
using AspireVector.AppHost;
using AspireVector.AppHost.Publishing.Kubernetes;
using static AspireVector.Tests.AppHost.KubernetesYaml;

namespace AspireVector.Tests.AppHost;

public sealed class KubernetesPublisherTests
{
    private const string Pod0Uri = "http://aspirevector-0.aspirevector-pods.${POD_NAMESPACE}.svc.cluster.local:6335";

    private static Dictionary<string, string> Render(params string[] args) =>
        KubernetesPublisher.Render(Program.BuildApplication(args)).ToDictionary(f => f.Key, f => f.Value);

    private static List<Dictionary<object, object>> PeerDocuments(params string[] args) => Documents(Render(args)["aspirevector.yaml"]);

    private static Dictionary<object, object> NodeContainer(List<Dictionary<object, object>> documents) =>
        (Dictionary<object, object>)At(Kind(documents, "StatefulSet"), "spec.template.spec.containers.0");

    [Fact]
    public void Committed_deploy_folder_is_the_publisher_output()
    {
        var folder = Path.Combine(RepositoryPaths.Root, "deploy", "kubernetes");
        var rendered = Render();

        Assert.Equal(rendered.Keys.Order(), Directory.GetFiles(folder).Select(f => Path.GetFileName(f)!).Order());
        foreach (var (name, text) in rendered)
        {
            Assert.Equal(File.ReadAllText(Path.Combine(folder, name)).ReplaceLineEndings("\n"), text);
        }
    }

    [Fact]
    public void Peer_group_is_configmap_services_statefulset_and_disruption_budget_in_apply_order()
    {
        var documents = PeerDocuments();

        Assert.Equal(["ConfigMap", "Service", "Service", "StatefulSet", "PodDisruptionBudget"], documents.Select(d => Text(d, "kind")));
        var budget = Kind(documents, "PodDisruptionBudget");
        Assert.Equal("1", Text(budget, "spec.maxUnavailable"));
        Assert.Equal("aspirevector", Text(budget, "spec.selector.matchLabels.app"));
    }

    [Fact]
    public void Configmap_holds_the_cluster_config_with_qdrant_keys()
    {
        var data = (Dictionary<object, object>)At(Kind(PeerDocuments(), "ConfigMap"), "data");
        var config = Documents((string)data["config.yaml"]).Single();

        Assert.Equal("true", Text(config, "cluster.enabled"));
        Assert.Equal("6335", Text(config, "cluster.p2p.port"));
        Assert.Equal("100", Text(config, "cluster.consensus.tick_period_ms"));
        Assert.Equal("6333", Text(config, "service.http_port"));
        Assert.Equal("6334", Text(config, "service.grpc_port"));
        Assert.Equal("/aspirevector/storage", Text(config, "storage.storage_path"));
    }

    [Fact]
    public void Headless_service_exposes_all_three_ports_and_not_ready_addresses_and_client_service_two()
    {
        var documents = PeerDocuments();
        var headless = Kind(documents, "Service", "aspirevector-pods");
        var clients = Kind(documents, "Service", "aspirevector");

        Assert.Equal("None", Text(headless, "spec.clusterIP"));
        Assert.Equal("true", Text(headless, "spec.publishNotReadyAddresses"));
        Assert.Equal(["6333", "6334", "6335"], List(headless, "spec.ports").Select(p => Text(p, "port")));
        Assert.Equal("ClusterIP", Text(clients, "spec.type"));
        Assert.Equal(["6333", "6334"], List(clients, "spec.ports").Select(p => Text(p, "port")));
    }

    [Fact]
    public void Statefulset_has_identity_storage_probes_scraping_and_requests()
    {
        var documents = PeerDocuments("--node-image", "registry.example/av/node:1.2.3");
        var set = Kind(documents, "StatefulSet");
        var container = NodeContainer(documents);

        Assert.Equal("aspirevector-pods", Text(set, "spec.serviceName"));
        Assert.Equal("3", Text(set, "spec.replicas"));
        Assert.Equal("registry.example/av/node:1.2.3", Text(container, "image"));
        var env = List(container, "env");
        Assert.Equal("metadata.name", Text(env.Single(e => Text(e, "name") == "POD_NAME"), "valueFrom.fieldRef.fieldPath"));
        Assert.Equal("metadata.namespace", Text(env.Single(e => Text(e, "name") == "POD_NAMESPACE"), "valueFrom.fieldRef.fieldPath"));
        Assert.Equal("storage", Text(set, "spec.volumeClaimTemplates.0.metadata.name"));
        Assert.Equal("10Gi", Text(set, "spec.volumeClaimTemplates.0.spec.resources.requests.storage"));
        Assert.Contains(List(container, "volumeMounts"), m => Text(m, "name") == "storage" && Text(m, "mountPath") == "/aspirevector/storage");
        Assert.Equal("/readyz", Text(container, "readinessProbe.httpGet.path"));
        Assert.Equal("/livez", Text(container, "livenessProbe.httpGet.path"));
        Assert.Equal("true", Annotation(set, "prometheus.io/scrape"));
        Assert.Equal("6333", Annotation(set, "prometheus.io/port"));
        Assert.Equal("/metrics", Annotation(set, "prometheus.io/path"));
        Assert.NotNull(At(container, "resources.requests.cpu"));
        Assert.NotNull(At(container, "resources.requests.memory"));
        Assert.Equal("true", Text(set, "spec.template.spec.securityContext.runAsNonRoot"));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Start_script_founds_the_cluster_on_pod_zero_and_bootstraps_the_others_from_it()
    {
        var script = Text(NodeContainer(PeerDocuments()), "command.2");

        var pod0 = RunScript(script, "aspirevector-0");
        var pod2 = RunScript(script, "aspirevector-2");

        var ownUri = "http://aspirevector-{0}.aspirevector-pods.prod.svc.cluster.local:6335";
        Assert.Equal(
            $"/app/AspireVector.Node.dll --config-path /aspirevector/config/config.yaml --uri {string.Format(System.Globalization.CultureInfo.InvariantCulture, ownUri, 0)}",
            pod0);
        Assert.Equal(
            $"/app/AspireVector.Node.dll --config-path /aspirevector/config/config.yaml --uri {string.Format(System.Globalization.CultureInfo.InvariantCulture, ownUri, 2)} --bootstrap {string.Format(System.Globalization.CultureInfo.InvariantCulture, ownUri, 0)}",
            pod2);
        Assert.Contains(Pod0Uri, script, StringComparison.Ordinal);
    }

    [Fact]
    public void Dashboard_deployment_gets_every_pod_address_and_its_image()
    {
        var documents = Documents(Render("--dashboard-image", "registry.example/av/dashboard:9")["dashboard.yaml"]);
        var deployment = Kind(documents, "Deployment");
        var container = At(deployment, "spec.template.spec.containers.0");
        var env = List(container, "env").ToDictionary(e => Text(e, "name"), e => e);

        Assert.Equal("registry.example/av/dashboard:9", Text(container, "image"));
        Assert.Equal("metadata.namespace", Text(env["POD_NAMESPACE"], "valueFrom.fieldRef.fieldPath"));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal($"http://aspirevector-{i}.aspirevector-pods.$(POD_NAMESPACE).svc.cluster.local:6333", Text(env[$"services__node-{i}__http__0"], "value"));
        }

        // $(VAR) references only expand to variables defined earlier in the list.
        Assert.True(List(container, "env").FindIndex(e => Text(e, "name") == "POD_NAMESPACE") < List(container, "env").FindIndex(e => Text(e, "name") == "services__node-0__http__0"));
        Assert.Equal("8080", Text(Kind(documents, "Service", "dashboard"), "spec.ports.0.port"));
    }

    [Fact]
    public void Node_count_and_service_monitor_options_shape_the_output()
    {
        var files = Render("--nodes", "5", "--service-monitor");

        Assert.Equal("5", Text(Kind(Documents(files["aspirevector.yaml"]), "StatefulSet"), "spec.replicas"));
        var monitor = Documents(files["aspirevector-servicemonitor.yaml"]).Single();
        Assert.Equal("monitoring.coreos.com/v1", Text(monitor, "apiVersion"));
        Assert.Equal("ServiceMonitor", Text(monitor, "kind"));
        Assert.Equal("peers", Text(monitor, "spec.selector.matchLabels.role"));
        Assert.Equal("/metrics", Text(monitor, "spec.endpoints.0.path"));
        var kustomization = Documents(files["kustomization.yaml"]).Single();
        Assert.Contains("aspirevector-servicemonitor.yaml", List(kustomization, "resources").Cast<string>());
        Assert.DoesNotContain("aspirevector-servicemonitor.yaml", Render().Keys);
    }

    private static string Annotation(Dictionary<object, object> set, string key) =>
        (string)((Dictionary<object, object>)At(set, "spec.template.metadata.annotations"))[key];

    /// <summary>Runs the pod's start script with a fake <c>dotnet</c> that prints its arguments.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static string RunScript(string script, string podName)
    {
        var bin = Directory.CreateTempSubdirectory("av-fake-dotnet-");
        try
        {
            var fake = Path.Combine(bin.FullName, "dotnet");
            File.WriteAllText(fake, "#!/bin/sh\necho \"$@\"\n");
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(script);
            info.Environment["PATH"] = bin.FullName + ":/usr/bin:/bin";
            info.Environment["POD_NAME"] = podName;
            info.Environment["POD_NAMESPACE"] = "prod";
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));
            Assert.Equal(0, process.ExitCode);
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        }
        finally
        {
            bin.Delete(recursive: true);
        }
    }
}
