namespace AspireVector.AppHost.Hosting;

/// <summary>
/// A value known only once the application is run or published (Aspire's
/// <c>IManifestExpressionProvider</c> + <c>IValueProvider</c>).
/// </summary>
public interface IValueProvider
{
    /// <summary>The manifest expression, e.g. <c>{node-0.bindings.p2p.url}</c>.</summary>
    string ValueExpression { get; }

    /// <summary>The concrete value for a local run.</summary>
    string GetLocalValue();
}
