namespace AspireVector.AppHost.Hosting;

/// <summary>A reference to one endpoint of a resource, resolved late (Aspire's <c>EndpointReference</c>).</summary>
public sealed class EndpointReference
{
    /// <summary>Creates a reference to <paramref name="endpointName"/> of <paramref name="resource"/>.</summary>
    public EndpointReference(ProjectResource resource, string endpointName)
    {
        Resource = resource;
        EndpointName = endpointName;
    }

    /// <summary>The resource that owns the endpoint.</summary>
    public ProjectResource Resource { get; }

    /// <summary>The endpoint's name.</summary>
    public string EndpointName { get; }

    /// <summary>The endpoint's definition.</summary>
    public EndpointAnnotation Annotation => Resource.GetEndpointAnnotation(EndpointName);

    /// <summary>The endpoint's URL (<c>{name.bindings.endpoint.url}</c> in a manifest).</summary>
    public EndpointReferenceExpression Url => Property(EndpointProperty.Url);

    /// <summary>The port the process binds.</summary>
    public EndpointReferenceExpression TargetPort => Property(EndpointProperty.TargetPort);

    /// <summary>An expression for <paramref name="property"/> of this endpoint.</summary>
    public EndpointReferenceExpression Property(EndpointProperty property) => new(this, property);
}
