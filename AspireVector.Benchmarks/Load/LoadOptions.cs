using System.Globalization;

namespace AspireVector.Benchmarks.Load;

/// <summary>Command-line options of the <c>load</c> command.</summary>
public sealed record LoadOptions
{
    /// <summary>REST address of a running node or cluster; ignored with <see cref="StartNode"/>.</summary>
    public Uri Url { get; init; } = new("http://127.0.0.1:6333");

    /// <summary>Launch the built node on a free port with temporary storage (and measure a restart).</summary>
    public bool StartNode { get; init; }

    /// <summary>The node's dll for <see cref="StartNode"/>; by default its build output beside this repository.</summary>
    public string? NodeDll { get; init; }

    public int Points { get; init; } = 100_000;
    public int Dim { get; init; } = 128;
    public int Batch { get; init; } = 100;
    public int Clients { get; init; } = 1;
    public bool Wait { get; init; } = true;
    public int Queries { get; init; } = 300;
    public int Limit { get; init; } = 10;
    public int Seed { get; init; } = 42;
    public string Collection { get; init; } = "load_bench";
    public string? Json { get; init; }

    /// <summary>Extra members of the create-collection body, e.g. <c>"replication_factor":2,"shard_number":3</c>.</summary>
    public string? CollectionConfig { get; init; }

    /// <summary><c>rest</c> (default) or <c>grpc</c>: the API the measured upserts and queries go through (setup is REST).</summary>
    public string Api { get; init; } = "rest";

    /// <summary>gRPC port of the node at <see cref="Url"/>'s host (with <c>--api grpc</c> and no <c>--start-node</c>).</summary>
    public int GrpcPort { get; init; } = 6334;

    /// <summary>Keep the collection when done (the cluster bench measures a transfer of it afterwards).</summary>
    public bool Keep { get; init; }

    /// <summary>Parses <c>--name value</c> pairs (<c>--start-node</c> alone); throws <see cref="ArgumentException"/> on anything unknown.</summary>
    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Positive() => int.Parse(Value(), CultureInfo.InvariantCulture) is > 0 and var n ? n : throw new ArgumentException($"{args[i]} must be positive");
            options = args[i] switch
            {
                "--url" => options with { Url = Uri.TryCreate(Value(), UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? u : throw new ArgumentException("--url must be an http(s) URL") },
                "--start-node" => options with { StartNode = true },
                "--node-dll" => options with { NodeDll = Value() },
                "--points" => options with { Points = Positive() },
                "--dim" => options with { Dim = Positive() },
                "--batch" => options with { Batch = Positive() },
                "--clients" => options with { Clients = Positive() },
                "--wait" => options with { Wait = bool.Parse(Value()) },
                "--queries" => options with { Queries = Positive() },
                "--limit" => options with { Limit = Positive() },
                "--seed" => options with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--collection" => options with { Collection = Value() },
                "--json" => options with { Json = Value() },
                "--collection-config" => options with { CollectionConfig = Value() },
                "--keep" => options with { Keep = true },
                "--api" => options with { Api = Value() is var api && api is "rest" or "grpc" ? api : throw new ArgumentException("--api must be rest or grpc") },
                "--grpc-port" => options with { GrpcPort = Positive() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return options;
    }
}
