using AspireVector.Node.Index;
using AspireVector.Node.Index.Kernels;
using AspireVector.Node.Index.Quantization;

namespace AspireVector.Tests.Index;

public sealed class KernelTests
{
    public static TheoryData<int> Dimensions => new() { 1, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 64, 100, 128, 130, 768 };

    [Theory]
    [MemberData(nameof(Dimensions))]
    public void Kernels_MatchScalarReference(int dimension)
    {
        var random = new Random(dimension);
        var a = Generate(random, dimension);
        var b = Generate(random, dimension);
        double dot = 0, l2 = 0, l1 = 0;
        for (int i = 0; i < dimension; i++)
        {
            dot += (double)a[i] * b[i];
            l2 += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
            l1 += Math.Abs((double)a[i] - b[i]);
        }
        float tolerance = 1e-4f * dimension;
        Assert.Equal(dot, DistanceKernels.Score(Distance.Dot, a, b), tolerance);
        Assert.Equal(dot, DistanceKernels.Score(Distance.Cosine, a, b), tolerance);
        Assert.Equal(Math.Sqrt(l2), DistanceKernels.Score(Distance.Euclid, a, b), tolerance);
        Assert.Equal(l1, DistanceKernels.Score(Distance.Manhattan, a, b), tolerance);
        // Internal distances are "lower is closer": negated similarity, squared L2.
        Assert.Equal(-dot, DistanceKernels.Distance(Distance.Dot, a, b), tolerance);
        Assert.Equal(l2, DistanceKernels.Distance(Distance.Euclid, a, b), tolerance);
    }

    [Fact]
    public void Kernels_RejectMismatchedDimensions() =>
        Assert.Throws<ArgumentException>(() => DistanceKernels.Distance(Distance.Dot, new float[4], new float[5]));

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(96)]
    [InlineData(160)]
    [InlineData(800)]
    public void QuantizedDot_MatchesScalar(int length)
    {
        var random = new Random(length);
        var a = new byte[length];
        var b = new byte[length];
        for (int i = 0; i < length; i++)
        {
            a[i] = (byte)random.Next(128);
            b[i] = (byte)random.Next(128);
        }
        a[0] = b[0] = 127; // extreme values must not saturate
        a[1] = b[1] = 127;
        int expected = 0;
        for (int i = 0; i < length; i++) expected += a[i] * b[i];
        Assert.Equal(expected, QuantizedDot.Compute(ref a[0], ref b[0], length));
    }

    private static float[] Generate(Random random, int dimension)
    {
        var v = new float[dimension];
        for (int i = 0; i < dimension; i++) v[i] = random.NextSingle() * 2 - 1;
        return v;
    }
}
