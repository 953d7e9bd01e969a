using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AspireVector.Node.Api.Security;

/// <summary>
/// Qdrant's JWT RBAC tokens: HS256-signed with the node's api key; claims <c>exp</c> (seconds since the epoch,
/// optional) and <c>access</c>, either <c>"r"</c> / <c>"m"</c> or a list of
/// <c>{"collection": name, "access": "r" | "rw"}</c>.
/// </summary>
public static class JwtAccessToken
{
    /// <summary>Validates <paramref name="token"/> and returns the access it grants, or a reason it is refused.</summary>
    public static bool TryValidate(string token, byte[] key, DateTimeOffset now, [NotNullWhen(true)] out Access? access, [NotNullWhen(false)] out string? error)
    {
        access = null;
        var parts = token.Split('.');
        if (parts.Length != 3) return Fail("Invalid JWT: expected three dot-separated parts", out error);
        if (!TryDecode(parts[0], out var headerBytes) || !TryDecode(parts[1], out var payloadBytes) || !TryDecode(parts[2], out var signature))
            return Fail("Invalid JWT: not base64url", out error);

        using (var header = ParseObject(headerBytes))
        {
            if (header is null || !header.RootElement.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "HS256")
                return Fail("Invalid JWT: only HS256 is accepted", out error);
        }

        var expected = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
            return Fail("Invalid JWT: signature mismatch", out error);

        using var payload = ParseObject(payloadBytes);
        if (payload is null) return Fail("Invalid JWT: payload is not a JSON object", out error);
        var root = payload.RootElement;
        if (root.TryGetProperty("exp", out var exp))
        {
            if (exp.ValueKind != JsonValueKind.Number || !exp.TryGetInt64(out var seconds)) return Fail("Invalid JWT: `exp` must be a number", out error);
            if (now.ToUnixTimeSeconds() >= seconds) return Fail("JWT expired", out error);
        }
        if (root.TryGetProperty("value_exists", out _))
            return Fail("JWT claim `value_exists` is not supported by this node", out error);
        if (!root.TryGetProperty("access", out var claim)) return Fail("Invalid JWT: missing `access` claim", out error);
        return TryParseAccess(claim, out access, out error);
    }

    private static bool TryParseAccess(JsonElement claim, [NotNullWhen(true)] out Access? access, [NotNullWhen(false)] out string? error)
    {
        access = null;
        if (claim.ValueKind == JsonValueKind.String)
        {
            access = claim.GetString() switch { "m" => Access.Manage, "r" => Access.ReadOnly, _ => null };
            return access is not null ? Ok(out error) : Fail("Invalid JWT: global `access` must be \"r\" or \"m\"", out error);
        }
        if (claim.ValueKind != JsonValueKind.Array) return Fail("Invalid JWT: `access` must be a string or a list", out error);
        var grants = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var item in claim.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object ||
                !item.TryGetProperty("collection", out var name) || name.ValueKind != JsonValueKind.String ||
                !item.TryGetProperty("access", out var level) || level.ValueKind != JsonValueKind.String)
                return Fail("Invalid JWT: each collection access needs `collection` and `access`", out error);
            var levelText = level.GetString();
            if (levelText is not ("r" or "rw"))
                return Fail("Invalid JWT: collection `access` must be \"r\" or \"rw\"", out error);
            var collection = name.GetString()!;
            grants[collection] = levelText == "rw" || (grants.TryGetValue(collection, out var earlier) && earlier);
        }
        access = Access.ForCollections(grants);
        return Ok(out error);
    }

    private static JsonDocument? ParseObject(byte[] bytes)
    {
        try
        {
            var doc = JsonDocument.Parse(bytes);
            if (doc.RootElement.ValueKind == JsonValueKind.Object) return doc;
            doc.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool TryDecode(string part, out byte[] bytes)
    {
        var s = part.Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=');
        try
        {
            bytes = Convert.FromBase64String(s);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }

    private static bool Ok(out string? error)
    {
        error = null;
        return true;
    }

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }
}
