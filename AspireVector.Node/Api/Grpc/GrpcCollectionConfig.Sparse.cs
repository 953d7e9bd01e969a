using System.Text.Json.Nodes;
using AspireVector.Node.Collections;
using Q = Qdrant.Client.Grpc;

#pragma warning disable CS0612 // deprecated proto fields (sparse index on_disk): older clients still send and read them

namespace AspireVector.Node.Api.Grpc;

public static partial class GrpcCollectionConfig
{
    /// <summary>gRPC's <c>SparseVectorConfig</c> as REST's <c>sparse_vectors</c> map (create, and PATCH of existing names).</summary>
    private static JsonObject SparseVectors(Q.SparseVectorConfig config)
    {
        var json = new JsonObject();
        foreach (var (name, p) in config.Map)
        {
            var vector = new JsonObject();
            if (p.Index is { } index)
            {
                var indexJson = new JsonObject();
                if (index.HasOnDisk) indexJson["on_disk"] = index.OnDisk;
                if (index.HasFullScanThreshold) indexJson["full_scan_threshold"] = index.FullScanThreshold;
                if (index.HasDatatype)
                {
                    indexJson["datatype"] = index.Datatype switch
                    {
                        Q.Datatype.Default or Q.Datatype.Float32 => "float32",
                        Q.Datatype.Float16 => "float16",
                        Q.Datatype.Uint8 => "uint8",
                        var other => throw CollectionException.WrongInput($"sparse vector datatype `{other}` is not supported by this node"),
                    };
                }

                vector["index"] = indexJson;
            }

            if (p.HasModifier) vector["modifier"] = p.Modifier == Q.Modifier.Idf ? "idf" : "none";
            json[name] = vector;
        }

        return json;
    }

    /// <summary>The collection's sparse vectors as gRPC's <c>SparseVectorConfig</c> (null when it has none).</summary>
    private static Q.SparseVectorConfig? SparseVectorsToGrpc(CollectionConfig config)
    {
        if (config.SparseVectors is not { } sparse) return null;
        var result = new Q.SparseVectorConfig();
        foreach (var (name, p) in sparse)
        {
            var grpc = new Q.SparseVectorParams();
            if (p.Index is { } index)
            {
                grpc.Index = new Q.SparseIndexConfig();
                if (Flag(index, "on_disk") is { } onDisk) grpc.Index.OnDisk = onDisk;
                if (Count(index, "full_scan_threshold") is { } threshold) grpc.Index.FullScanThreshold = threshold;
                if (index["datatype"]?.GetValue<string>() is { } datatype)
                    grpc.Index.Datatype = datatype switch { "float16" => Q.Datatype.Float16, "uint8" => Q.Datatype.Uint8, _ => Q.Datatype.Float32 };
            }

            if (p.ModifierGiven) grpc.Modifier = p.Idf ? Q.Modifier.Idf : Q.Modifier.None;
            result.Map[name] = grpc;
        }

        return result;
    }
}
