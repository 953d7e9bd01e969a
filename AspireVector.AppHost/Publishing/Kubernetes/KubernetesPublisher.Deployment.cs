using AspireVector.AppHost.Hosting;

namespace AspireVector.AppHost.Publishing.Kubernetes;

public static partial class KubernetesPublisher
{
    private static IEnumerable<object> DeploymentDocuments(ProjectResource resource, KubernetesValueResolver resolver)
    {
        var labels = YamlText.Map(("app", resource.Name));
        var publish = new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish);
        var environment = resource.GetEnvironment(publish)
            .Select(e => new KeyValuePair<string, string>(e.Key, resolver.Resolve(e.Value, resource, KubernetesValueResolver.Syntax.Kubernetes)));
        var args = resource.GetArgs(publish)
            .Select(a => (object)resolver.Resolve(a, resource, KubernetesValueResolver.Syntax.Kubernetes))
            .ToList();
        var container = YamlText.Map(
            ("name", resource.Name),
            ("image", ImageFor(resource)),
            ("imagePullPolicy", "IfNotPresent"),
            ("args", args.Count == 0 ? null : args),
            ("env", PodEnvironment(environment)),
            ("ports", ContainerPorts(resource)),
            ("readinessProbe", Probe(resource.ReadinessPath, 5, 10, 3)),
            ("livenessProbe", Probe(resource.LivenessPath, 15, 20, 3)),
            ("resources", YamlText.Map(("requests", YamlText.Map(("cpu", "100m"), ("memory", "256Mi"))))),
            ("securityContext", ContainerSecurity()));

        yield return YamlText.Map(
            ("apiVersion", "apps/v1"),
            ("kind", "Deployment"),
            ("metadata", YamlText.Map(("name", resource.Name), ("labels", labels))),
            ("spec", YamlText.Map(
                ("replicas", resource.Replicas),
                ("selector", YamlText.Map(("matchLabels", labels))),
                ("template", YamlText.Map(
                    ("metadata", YamlText.Map(("labels", labels))),
                    ("spec", YamlText.Map(
                        ("securityContext", PodSecurity()),
                        ("containers", YamlText.List(container)))))))));

        yield return YamlText.Map(
            ("apiVersion", "v1"),
            ("kind", "Service"),
            ("metadata", YamlText.Map(("name", resource.Name), ("labels", labels))),
            ("spec", YamlText.Map(
                ("type", "ClusterIP"),
                ("selector", labels),
                ("ports", ServicePorts(resource, resource.Endpoints)))));
    }

    private static string ImageFor(ProjectResource resource) =>
        resource.ContainerImage ?? $"{Path.GetFileNameWithoutExtension(resource.ProjectPath).ToLowerInvariant()}:latest";
}
