namespace AspireVector.AppHost.Publishing.Kubernetes;

/// <summary>Object names derived from a peer group's name (seed 000: <c>qdrant-cluster</c>, <c>qdrant-cluster-pods</c>).</summary>
public sealed record KubernetesNames(string Group)
{
    /// <summary>StatefulSet, client Service and PodDisruptionBudget name.</summary>
    public string StatefulSet => Group;

    /// <summary>Headless Service giving every pod a stable DNS name.</summary>
    public string HeadlessService => Group + "-pods";

    /// <summary>ClusterIP Service for clients.</summary>
    public string ClientService => Group;

    /// <summary>ConfigMap holding <c>config.yaml</c>.</summary>
    public string ConfigMap => Group + "-config";

    /// <summary>Where the ConfigMap is mounted.</summary>
    public const string ConfigDirectory = "/aspirevector/config";

    /// <summary>Stable DNS name of pod <paramref name="podName"/> (<c>${POD_NAMESPACE}</c>-style placeholder given).</summary>
    public string PodHost(string podName, string namespacePlaceholder) =>
        $"{podName}.{HeadlessService}.{namespacePlaceholder}.svc.cluster.local";

    /// <summary>Name of pod <paramref name="ordinal"/>.</summary>
    public string PodName(int ordinal) => $"{StatefulSet}-{ordinal}";
}
