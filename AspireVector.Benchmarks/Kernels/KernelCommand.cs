using BenchmarkDotNet.Running;

namespace AspireVector.Benchmarks.Kernels;

/// <summary>The <c>kernels</c> command: BenchmarkDotNet micro-benchmarks of the distance kernels.</summary>
public static class KernelCommand
{
    public static int Run(string[] args)
    {
        BenchmarkRunner.Run<KernelBenchmarks>(args: args);
        return 0;
    }
}
