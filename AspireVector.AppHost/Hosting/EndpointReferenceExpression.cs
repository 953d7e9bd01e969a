using System.Globalization;

namespace AspireVector.AppHost.Hosting;

/// <summary>
/// A value that is an endpoint property: concrete in a local run (<c>http://127.0.0.1:6333</c>), an
/// Aspire manifest expression when published (<c>{node-0.bindings.http.url}</c>).
/// </summary>
public sealed class EndpointReferenceExpression : IValueProvider
{
    /// <summary>Host name every local endpoint binds; loopback only.</summary>
    public const string LocalHost = "127.0.0.1";

    /// <summary>Creates the expression for <paramref name="property"/> of <paramref name="endpoint"/>.</summary>
    public EndpointReferenceExpression(EndpointReference endpoint, EndpointProperty property)
    {
        Endpoint = endpoint;
        Property = property;
    }

    /// <summary>The endpoint referred to.</summary>
    public EndpointReference Endpoint { get; }

    /// <summary>The property referred to.</summary>
    public EndpointProperty Property { get; }

    /// <inheritdoc />
    public string ValueExpression
    {
        get
        {
            var property = Property switch
            {
                EndpointProperty.Url => "url",
                EndpointProperty.Host => "host",
                EndpointProperty.Port => "port",
                _ => "targetPort",
            };
            return "{" + $"{Endpoint.Resource.Name}.bindings.{Endpoint.EndpointName}.{property}" + "}";
        }
    }

    /// <inheritdoc />
    public string GetLocalValue()
    {
        var annotation = Endpoint.Annotation;
        // Local runs have no proxy: the process binds the host port itself, so port == targetPort.
        var port = annotation.Port ?? annotation.TargetPort
            ?? throw new InvalidOperationException(
                $"Endpoint '{Endpoint.EndpointName}' of '{Endpoint.Resource.Name}' has no port for a local run.");
        var portText = port.ToString(CultureInfo.InvariantCulture);
        return Property switch
        {
            EndpointProperty.Url => $"{annotation.UriScheme}://{LocalHost}:{portText}",
            EndpointProperty.Host => LocalHost,
            _ => portText,
        };
    }
}
