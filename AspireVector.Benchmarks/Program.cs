using AspireVector.Benchmarks.Ann;
using AspireVector.Benchmarks.Kernels;
using AspireVector.Benchmarks.Load;

namespace AspireVector.Benchmarks;

/// <summary>Entry point of the benchmark commands: dispatches on the first argument.</summary>
public sealed class Program
{
    public static int Main(string[] args)
    {
        string command = args.Length > 0 ? args[0] : "";
        var rest = args.Length > 0 ? args[1..] : [];
        switch (command)
        {
            case "ann": return AnnCommand.Run(rest);
            case "kernels": return KernelCommand.Run(rest);
            case "load": return LoadCommand.Run(rest);
            case "cluster": return Cluster.ClusterBench.Run(rest);
            case "stress": return Stress.StressCommand.Run(rest);
            case "write-cpu": return Writes.WriteCpuCommand.Run(rest);
            case "multivec": return Multivectors.MultivectorCommand.Run(rest);
            default:
                Console.Error.WriteLine("usage: AspireVector.Benchmarks <ann|kernels|load|cluster|stress|write-cpu|multivec> [options]");
                return 1;
        }
    }
}
