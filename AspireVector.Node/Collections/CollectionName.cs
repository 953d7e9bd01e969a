using System.Text;

namespace AspireVector.Node.Collections;

/// <summary>Validates collection names so none can escape the storage folder (Qdrant's rules plus dot names).</summary>
public static class CollectionName
{
    private const string Forbidden = "<>:\"/\\|?*";

    /// <summary>Throws a 400 <see cref="CollectionException"/> naming the problem when <paramref name="name"/> is invalid.</summary>
    /// <remarks>
    /// ASP.NET decodes every escape in a path except <c>%2F</c>, which it leaves in route values; the client meant
    /// a slash (Qdrant decodes it and rejects the name), so it is checked as one.
    /// </remarks>
    public static void Validate([System.Diagnostics.CodeAnalysis.NotNull] string? name)
    {
        if (string.IsNullOrEmpty(name)) throw Invalid("collection name must not be empty");
        if (name.Contains("%2F", StringComparison.OrdinalIgnoreCase)) throw Invalid("collection name cannot contain \"/\" char");
        if (Encoding.UTF8.GetByteCount(name) > 255) throw Invalid("collection name must be at most 255 bytes long");
        if (name is "." or "..") throw Invalid($"collection name cannot be \"{name}\"");
        foreach (char c in name)
        {
            if (c == '\0' || char.IsControl(c)) throw Invalid("collection name cannot contain control characters");
            if (Forbidden.Contains(c)) throw Invalid($"collection name cannot contain \"{c}\" char");
        }
        if (name.Trim() != name) throw Invalid("collection name cannot start or end with whitespace");
    }

    private static CollectionException Invalid(string message) => new(400, $"Validation error in path parameters: [name: {message}]");
}
