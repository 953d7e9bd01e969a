using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using AspireVector.Node.Index.Kernels;
using AspireVector.Node.Index.Quantization;
using BenchmarkDotNet.Attributes;

namespace AspireVector.Benchmarks.Kernels;

/// <summary>One distance between two vectors per kernel, against TensorPrimitives and a scalar loop.</summary>
[MemoryDiagnoser]
public unsafe class KernelBenchmarks
{
    private float* _a;
    private float* _b;
    private byte[] _codeA = [];
    private byte[] _codeB = [];

    [Params(128, 768)]
    public int Dimension { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _a = (float*)NativeMemory.AlignedAlloc((nuint)(Dimension * sizeof(float)), 64);
        _b = (float*)NativeMemory.AlignedAlloc((nuint)(Dimension * sizeof(float)), 64);
        for (int i = 0; i < Dimension; i++)
        {
            _a[i] = random.NextSingle() - 0.5f;
            _b[i] = random.NextSingle() - 0.5f;
        }
        _codeA = new byte[(Dimension + 31) & ~31];
        _codeB = new byte[_codeA.Length];
        for (int i = 0; i < Dimension; i++)
        {
            _codeA[i] = (byte)random.Next(128);
            _codeB[i] = (byte)random.Next(128);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.AlignedFree(_a);
        NativeMemory.AlignedFree(_b);
    }

    [Benchmark(Baseline = true)]
    public float DotScalar()
    {
        float sum = 0;
        for (int i = 0; i < Dimension; i++) sum += _a[i] * _b[i];
        return sum;
    }

    [Benchmark]
    public float DotTensorPrimitives() => TensorPrimitives.Dot(new ReadOnlySpan<float>(_a, Dimension), new ReadOnlySpan<float>(_b, Dimension));

    [Benchmark]
    public float Dot() => DotKernel.Distance(_a, _b, Dimension);

    [Benchmark]
    public float Euclid() => EuclidKernel.Distance(_a, _b, Dimension);

    [Benchmark]
    public float Manhattan() => ManhattanKernel.Distance(_a, _b, Dimension);

    [Benchmark]
    public int Int8Dot() => QuantizedDot.Compute(ref _codeA[0], ref _codeB[0], _codeA.Length);
}
