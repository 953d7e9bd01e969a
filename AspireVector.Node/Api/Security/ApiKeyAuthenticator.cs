using System.Security.Cryptography;
using System.Text;
using AspireVector.Node.Configuration;

namespace AspireVector.Node.Api.Security;

/// <summary>
/// Who a request is, from the credentials it presents, as Qdrant decides it for REST and gRPC alike:
/// <c>service.api_key</c> (full access), <c>service.read_only_api_key</c> (reads only), and with
/// <c>service.jwt_rbac</c> HS256 tokens signed with the api key. Keys come in the <c>api-key</c> header (gRPC
/// metadata) or as <c>Authorization: Bearer</c>; comparisons run in constant time.
/// </summary>
public sealed class ApiKeyAuthenticator
{
    private readonly byte[]? _apiKey;
    private readonly byte[]? _readOnlyKey;
    private readonly bool _jwt;
    private readonly TimeProvider _time;

    public ApiKeyAuthenticator(NodeOptions options, TimeProvider time)
    {
        _apiKey = options.Service.ApiKey is { } k ? Encoding.UTF8.GetBytes(k) : null;
        _readOnlyKey = options.Service.ReadOnlyApiKey is { } r ? Encoding.UTF8.GetBytes(r) : null;
        _jwt = options.Service.JwtRbac && _apiKey is not null;
        _time = time;
    }

    /// <summary>True when any key is configured, so requests must authenticate.</summary>
    public bool IsEnabled => _apiKey is not null || _readOnlyKey is not null;

    /// <summary>The access the request's credentials grant; null with the reason when they are missing or wrong.</summary>
    public Access? Authenticate(IHeaderDictionary headers, out string error)
    {
        var presented = PresentedKey(headers);
        if (presented is null)
        {
            error = "Must provide an API key or an Authorization bearer token";
            return null;
        }

        error = "Invalid API key or JWT";
        var bytes = Encoding.UTF8.GetBytes(presented);
        if (_apiKey is not null && CryptographicOperations.FixedTimeEquals(bytes, _apiKey)) return Access.Manage;
        if (_readOnlyKey is not null && CryptographicOperations.FixedTimeEquals(bytes, _readOnlyKey)) return Access.ReadOnly;
        if (_jwt && presented.Count(c => c == '.') == 2)
        {
            if (JwtAccessToken.TryValidate(presented, _apiKey!, _time.GetUtcNow(), out var access, out var jwtError)) return access;
            error = jwtError;
        }

        return null;
    }

    /// <summary>Qdrant's wording for an operation the access does not allow.</summary>
    public static string ForbiddenMessage(OperationKind kind) => kind == OperationKind.Read
        ? "Forbidden: access to this collection is not granted"
        : "Forbidden: write access is not granted by this key or token";

    private static string? PresentedKey(IHeaderDictionary headers)
    {
        if (headers.TryGetValue("api-key", out var key) && !string.IsNullOrEmpty(key)) return key.ToString();
        var authorization = headers.Authorization.ToString();
        const string bearer = "Bearer ";
        if (authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)) return authorization[bearer.Length..].Trim();
        return null;
    }
}
