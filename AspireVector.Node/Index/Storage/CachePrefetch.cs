using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace AspireVector.Node.Index.Storage;

/// <summary>Software prefetch of a whole row into the cache hierarchy (a no-op where the CPU has no hint).</summary>
public static unsafe class CachePrefetch
{
    private const int CacheLine = 64;

    /// <summary>Prefetches the cache lines covering <paramref name="bytes"/> bytes from <paramref name="address"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Lines(void* address, int bytes)
    {
        if (!Sse.IsSupported) return;
        byte* p = (byte*)address;
        // Every line, not just the first: the adjacent-line prefetcher fetches pairs at most, and a 128-d float
        // vector spans 8 lines.
        for (int offset = 0; offset < bytes; offset += CacheLine) Sse.Prefetch0(p + offset);
    }
}
