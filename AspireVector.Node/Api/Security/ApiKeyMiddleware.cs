using AspireVector.Node.Configuration;

namespace AspireVector.Node.Api.Security;

/// <summary>
/// Qdrant-compatible authentication for the REST API (credentials checked by <see cref="ApiKeyAuthenticator"/>,
/// shared with the gRPC API). Health endpoints and <c>GET /</c> stay open, as in Qdrant.
/// </summary>
public sealed class ApiKeyMiddleware
{
    private static readonly string[] OpenPaths = ["/", "/healthz", "/livez", "/readyz"];

    private readonly RequestDelegate _next;
    private readonly ApiKeyAuthenticator _authenticator;

    public ApiKeyMiddleware(RequestDelegate next, NodeOptions options, TimeProvider time)
    {
        _next = next;
        _authenticator = new ApiKeyAuthenticator(options, time);
    }

    /// <summary>True when any key is configured, so the middleware has work to do.</summary>
    public static bool IsEnabled(NodeOptions options) => options.Service.ApiKey is not null || options.Service.ReadOnlyApiKey is not null;

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (Array.IndexOf(OpenPaths, path) >= 0 || context.GetEndpoint()?.Metadata.GetMetadata<AllowWithoutApiKey>() is not null)
            return _next(context);

        var access = _authenticator.Authenticate(context.Request.Headers, out var error);
        if (access is null) return Deny(context, StatusCodes.Status401Unauthorized, error);

        var operation = RestOperation.Classify(context.Request.Method, path);
        if (!access.Allows(operation))
            return Deny(context, StatusCodes.Status403Forbidden, ApiKeyAuthenticator.ForbiddenMessage(operation.Kind));
        return _next(context);
    }

    private static Task Deny(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new ErrorEnvelope(new ErrorStatus(message), 0));
    }

    private sealed record ErrorStatus(string error);

    private sealed record ErrorEnvelope(ErrorStatus status, double time);
}

/// <summary>Endpoint metadata for routes that carry their own authentication (the P2P port's internal key).</summary>
public sealed class AllowWithoutApiKey
{
    public static readonly AllowWithoutApiKey Instance = new();
}

/// <summary>Registration of <see cref="ApiKeyMiddleware"/>.</summary>
public static class ApiKeyMiddlewareExtensions
{
    /// <summary>Adds API key / JWT authentication when the node has a key configured.</summary>
    public static WebApplication UseApiKeyAuthentication(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<NodeOptions>();
        if (ApiKeyMiddleware.IsEnabled(options)) app.UseMiddleware<ApiKeyMiddleware>(options, TimeProvider.System);
        return app;
    }
}
