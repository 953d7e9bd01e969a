using AspireVector.Tests.Api.Rest;

namespace AspireVector.Tests.Api.Security;

/// <summary>The real node (in-process) with <c>service.api_key</c>, <c>read_only_api_key</c> and <c>jwt_rbac</c> on.</summary>
public sealed class KeyedRestNode() : RestNode(o =>
{
    o.Service.ApiKey = KeyedRestNode.Key;
    o.Service.ReadOnlyApiKey = KeyedRestNode.ReadKey;
    o.Service.JwtRbac = true;
})
{
    public const string Key = "audit-full-key-7f3a";
    public const string ReadKey = "audit-read-key-91c2";
}
