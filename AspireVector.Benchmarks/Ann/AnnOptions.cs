using System.Globalization;

namespace AspireVector.Benchmarks.Ann;

/// <summary>Command-line options of the <c>ann</c> command.</summary>
public sealed record AnnOptions
{
    public string Data { get; init; } = "../shared/bench";
    public string Metric { get; init; } = "l2";
    public int M { get; init; } = 16;
    public int EfConstruct { get; init; } = 100;
    public int[] Ef { get; init; } = [16, 32, 64, 128];
    /// <summary><c>--quantization</c>: none, int8, binary or product-xN (N = 4, 8, 16, 32, 64).</summary>
    public string Quantization { get; init; } = "none";
    public int Threads { get; init; } = Environment.ProcessorCount;
    public int ScalingRounds { get; init; } = 5;
    public int K { get; init; } = 10;
    public string? Json { get; init; }

    /// <summary>Parses <c>--name value</c> pairs; throws <see cref="ArgumentException"/> on anything unknown.</summary>
    public static AnnOptions Parse(string[] args)
    {
        var options = new AnnOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--data" => options with { Data = Value() },
                "--metric" => options with { Metric = Value() },
                "--m" => options with { M = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--ef-construct" => options with { EfConstruct = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--ef" => options with { Ef = Value().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() },
                "--quantization" => options with { Quantization = QuantizationName(Value()) },
                "--threads" => options with { Threads = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--k" => options with { K = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--scaling-rounds" => options with { ScalingRounds = Math.Max(1, int.Parse(Value(), CultureInfo.InvariantCulture)) },
                "--json" => options with { Json = Value() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        if (options.Metric is not ("l2" or "cosine")) throw new ArgumentException("--metric must be l2 or cosine");
        return options;
    }

    private static string QuantizationName(string value) =>
        value is "none" or "int8" or "binary" or "product-x4" or "product-x8" or "product-x16" or "product-x32" or "product-x64"
            ? value
            : throw new ArgumentException($"--quantization {value}: expected none, int8, binary or product-x4..product-x64");
}
