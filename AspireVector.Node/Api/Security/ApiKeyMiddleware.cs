using System.Security.Cryptography;
using System.Text;
using AspireVector.Node.Configuration;

namespace AspireVector.Node.Api.Security;

/// <summary>
/// Qdrant-compatible authentication for the REST API: <c>service.api_key</c> (full access),
/// <c>service.read_only_api_key</c> (reads only), and with <c>service.jwt_rbac</c> HS256 tokens signed with the
/// api key. Keys are accepted in the <c>api-key</c> header or as <c>Authorization: Bearer</c>; comparisons run in
/// constant time. Health endpoints and <c>GET /</c> stay open, as in Qdrant.
/// </summary>
public sealed class ApiKeyMiddleware
{
    private static readonly string[] OpenPaths = ["/", "/healthz", "/livez", "/readyz"];

    private readonly RequestDelegate _next;
    private readonly byte[]? _apiKey;
    private readonly byte[]? _readOnlyKey;
    private readonly bool _jwt;
    private readonly TimeProvider _time;

    public ApiKeyMiddleware(RequestDelegate next, NodeOptions options, TimeProvider time)
    {
        _next = next;
        _apiKey = options.Service.ApiKey is { } k ? Encoding.UTF8.GetBytes(k) : null;
        _readOnlyKey = options.Service.ReadOnlyApiKey is { } r ? Encoding.UTF8.GetBytes(r) : null;
        _jwt = options.Service.JwtRbac && _apiKey is not null;
        _time = time;
    }

    /// <summary>True when any key is configured, so the middleware has work to do.</summary>
    public static bool IsEnabled(NodeOptions options) => options.Service.ApiKey is not null || options.Service.ReadOnlyApiKey is not null;

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (Array.IndexOf(OpenPaths, path) >= 0 || context.GetEndpoint()?.Metadata.GetMetadata<AllowWithoutApiKey>() is not null)
            return _next(context);

        var presented = PresentedKey(context.Request);
        if (presented is null)
            return Deny(context, StatusCodes.Status401Unauthorized, "Must provide an API key or an Authorization bearer token");

        var access = Authenticate(presented, out var error);
        if (access is null) return Deny(context, StatusCodes.Status401Unauthorized, error ?? "Invalid API key or JWT");

        var operation = RestOperation.Classify(context.Request.Method, path);
        if (!access.Allows(operation))
            return Deny(context, StatusCodes.Status403Forbidden, operation.Kind == OperationKind.Read
                ? "Forbidden: access to this collection is not granted"
                : "Forbidden: write access is not granted by this key or token");
        return _next(context);
    }

    private Access? Authenticate(string presented, out string? error)
    {
        error = null;
        var bytes = Encoding.UTF8.GetBytes(presented);
        if (_apiKey is not null && CryptographicOperations.FixedTimeEquals(bytes, _apiKey)) return Access.Manage;
        if (_readOnlyKey is not null && CryptographicOperations.FixedTimeEquals(bytes, _readOnlyKey)) return Access.ReadOnly;
        if (_jwt && presented.Count(c => c == '.') == 2)
            return JwtAccessToken.TryValidate(presented, _apiKey!, _time.GetUtcNow(), out var access, out error) ? access : null;
        return null;
    }

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue("api-key", out var key) && !string.IsNullOrEmpty(key)) return key.ToString();
        var authorization = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        if (authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)) return authorization[bearer.Length..].Trim();
        return null;
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
