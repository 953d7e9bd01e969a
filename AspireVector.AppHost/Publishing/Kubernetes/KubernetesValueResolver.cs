using System.Globalization;
using AspireVector.AppHost.Hosting;

namespace AspireVector.AppHost.Publishing.Kubernetes;

/// <summary>
/// Turns model values into what a pod sees: a peer's endpoint becomes its stable DNS name under the
/// headless Service, any other resource's endpoint becomes its Service, ports become container ports.
/// </summary>
internal sealed class KubernetesValueResolver(IReadOnlyList<ProjectResource> resources)
{
    /// <summary>How the pod's namespace is written: <c>$(POD_NAMESPACE)</c> in env, <c>${POD_NAMESPACE}</c> in a shell.</summary>
    public enum Syntax
    {
        /// <summary>Kubernetes env/args expansion.</summary>
        Kubernetes,

        /// <summary>POSIX shell expansion inside double quotes.</summary>
        Shell,
    }

    /// <summary>Resolves <paramref name="value"/> as seen by <paramref name="self"/>.</summary>
    public string Resolve(object value, ProjectResource self, Syntax syntax)
    {
        if (value is string literal)
        {
            return syntax == Syntax.Shell ? ShellEscape(literal) : literal;
        }

        if (value is not EndpointReferenceExpression expression)
        {
            throw new ArgumentException($"Cannot publish value of type {value.GetType().Name} to Kubernetes.", nameof(value));
        }

        var target = expression.Endpoint.Resource;
        var endpoint = expression.Endpoint.Annotation;
        var port = (endpoint.TargetPort ?? endpoint.Port
            ?? throw new InvalidOperationException($"Endpoint '{endpoint.Name}' of '{target.Name}' has no port."))
            .ToString(CultureInfo.InvariantCulture);
        var host = Host(target, self, syntax);
        return expression.Property switch
        {
            EndpointProperty.Url => $"{endpoint.UriScheme}://{host}:{port}",
            EndpointProperty.Host => host,
            _ => port,
        };
    }

    private string Host(ProjectResource target, ProjectResource self, Syntax syntax)
    {
        if (target.PeerGroup is not { } group)
        {
            return target.Name;
        }

        var names = new KubernetesNames(group);
        var ns = syntax == Syntax.Shell ? "${POD_NAMESPACE}" : "$(POD_NAMESPACE)";
        if (ReferenceEquals(target, self))
        {
            // Every pod shares one template, so a peer's own address is spelled with its pod name.
            return names.PodHost(syntax == Syntax.Shell ? "${POD_NAME}" : "$(POD_NAME)", ns);
        }

        var ordinal = resources.Where(r => r.PeerGroup == group).ToList().IndexOf(target);
        return names.PodHost(names.PodName(ordinal), ns);
    }

    private static string ShellEscape(string literal) => literal
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("$", "\\$", StringComparison.Ordinal)
        .Replace("`", "\\`", StringComparison.Ordinal);
}
