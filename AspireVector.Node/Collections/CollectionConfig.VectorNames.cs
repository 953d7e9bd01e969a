using System.Text;
using System.Text.Json;

namespace AspireVector.Node.Collections;

public sealed partial class CollectionConfig
{
    private const string ForbiddenVectorNameChars = "<>:\"/\\|?*";

    /// <summary>
    /// A copy with vector <paramref name="name"/> added from a <c>VectorNameConfig</c> body (<c>{"dense": {"size", "distance"}}</c>
    /// or <c>{"sparse": {"modifier"}}</c>), as <c>PUT /collections/{c}/vectors/{name}</c> does. The same vector given again
    /// changes nothing (the copy equals this config); the name taken by another config or kind is refused, as in Qdrant.
    /// </summary>
    public CollectionConfig WithVectorAdded(string name, JsonElement body)
    {
        ValidateVectorName(name);
        if (body.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("expected a JSON object as the request body");
        bool dense = body.TryGetProperty("dense", out var denseJson);
        bool sparse = body.TryGetProperty("sparse", out var sparseJson);
        if (dense == sparse || body.EnumerateObject().Count() != 1)
            throw CollectionException.BadJson("data did not match any variant of untagged enum VectorNameConfig: expected {\"dense\": {..}} or {\"sparse\": {..}}");
        var c = FromCreateRequest(JsonDocument.Parse(ToPersistedJson()).RootElement);
        if (dense) c.AddDenseVector(name, denseJson);
        else c.AddSparseVector(name, sparseJson);
        return c;
    }

    /// <summary>
    /// A copy without vector <paramref name="name"/> (dense or sparse), as <c>DELETE /collections/{c}/vectors/{name}</c>
    /// does. A name the collection does not have changes nothing (Qdrant's no-op); the collection's only vector, and the
    /// unnamed vector, cannot be deleted (a collection keeps at least one vector to store points by).
    /// </summary>
    public CollectionConfig WithVectorRemoved(string name)
    {
        ValidateVectorName(name);
        var c = FromCreateRequest(JsonDocument.Parse(ToPersistedJson()).RootElement);
        int total = (c.NamedVectors?.Count ?? 1) + (c.SparseVectors?.Count ?? 0);
        bool known = c.NamedVectors is { } named ? named.ContainsKey(name) : false;
        known |= c.IsSparse(name);
        if (!known) return c;
        if (total <= 1) throw CollectionException.WrongInput($"Vector `{name}` is the only vector of the collection and cannot be deleted");
        if (c.NamedVectors is { } dense && dense.Remove(name))
        {
            if (dense.Count > 0)
            {
                var first = dense.Values.First();
                c.VectorSize = first.Size;
                c.Distance = first.Distance;
            }
            else
            {
                c.VectorSize = 0;
            }
        }
        else if (c.SparseVectors is { } sparse)
        {
            sparse.Remove(name);
            if (sparse.Count == 0) c.SparseVectors = null;
        }

        return c;
    }

    private void AddDenseVector(string name, JsonElement json)
    {
        string path = "dense";
        if (json.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `{path}`: expected an object, got {json.GetRawText()}");
        foreach (var p in json.EnumerateObject())
        {
            if (p.Name is not ("size" or "distance" or "multivector_config" or "datatype"))
                throw CollectionException.BadJson($"unknown field `{p.Name}`, expected one of `size`, `distance`, `multivector_config`, `datatype` at `{path}`");
        }

        var v = ReadVectorParams(json, path);
        if (NamedVectors is null)
            throw CollectionException.WrongInput($"Collection has a single unnamed vector: named vector `{name}` cannot be added to it");
        if (NamedVectors.TryGetValue(name, out var existing))
        {
            if (existing.Size != v.Size || existing.Distance != v.Distance)
                throw CollectionException.WrongInput($"Vector `{name}` already exists with a different configuration");
            return;
        }

        if (IsSparse(name)) throw CollectionException.WrongInput($"Vector `{name}` already exists as a sparse vector");
        NamedVectors[name] = v;
        var first = NamedVectors.Values.First();
        VectorSize = first.Size;
        Distance = first.Distance;
    }

    private void AddSparseVector(string name, JsonElement json)
    {
        string path = "sparse";
        if (json.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `{path}`: expected an object, got {json.GetRawText()}");
        var p = new SparseVectorParams();
        foreach (var prop in json.EnumerateObject())
        {
            switch (prop.Name)
            {
                case "modifier":
                    using (var doc = JsonDocument.Parse($"{{\"modifier\":{prop.Value.GetRawText()}}}")) ApplySparseParams(p, doc.RootElement, path);
                    break;
                case "datatype":
                    if (prop.Value.ValueKind == JsonValueKind.Null) break;
                    using (var doc = JsonDocument.Parse($"{{\"index\":{{\"datatype\":{prop.Value.GetRawText()}}}}}")) ApplySparseParams(p, doc.RootElement, path);
                    break;
                default:
                    throw CollectionException.BadJson($"unknown field `{prop.Name}`, expected `modifier` or `datatype` at `{path}`");
            }
        }

        if (SparseVectors?.GetValueOrDefault(name) is { } existing)
        {
            string? Datatype(SparseVectorParams s) => s.Index?["datatype"]?.GetValue<string>();
            if (existing.Idf != p.Idf || Datatype(existing) != Datatype(p))
                throw CollectionException.WrongInput($"Sparse vector `{name}` already exists with a different configuration");
            return;
        }

        if (NamedVectors?.ContainsKey(name) == true || (NamedVectors is null && name.Length == 0))
            throw CollectionException.WrongInput($"Vector `{name}` already exists as a dense vector");
        (SparseVectors ??= new SortedDictionary<string, SparseVectorParams>(StringComparer.Ordinal))[name] = p;
    }

    /// <summary>Qdrant's rules for a vector name in a path: 1 to 200 bytes, none of the characters a folder name cannot hold.</summary>
    private static void ValidateVectorName(string name)
    {
        static CollectionException Invalid(string message) => new(400, $"Validation error in path parameters: [vector_name: {message}]");
        if (name.Length == 0) throw Invalid("vector name must not be empty");
        if (Encoding.UTF8.GetByteCount(name) > 200) throw Invalid("vector name must be at most 200 bytes long");
        if (name.Contains("%2F", StringComparison.OrdinalIgnoreCase)) throw Invalid("vector name cannot contain \"/\" char");
        foreach (char c in name)
        {
            if (c == '\0' || char.IsControl(c)) throw Invalid("vector name cannot contain control characters");
            if (ForbiddenVectorNameChars.Contains(c)) throw Invalid($"vector name cannot contain \"{c}\" char");
        }
    }
}
