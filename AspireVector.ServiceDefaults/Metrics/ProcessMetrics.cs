using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AspireVector.ServiceDefaults.Metrics;

/// <summary>
/// <c>app_info</c> and the process families Prometheus client libraries expose
/// (<c>process_resident_memory_bytes</c>, <c>process_cpu_seconds_total</c>, ...), plus .NET GC figures.
/// </summary>
public sealed class ProcessMetrics : IMeterOwner
{
    /// <summary>The meter these instruments live on.</summary>
    public const string Name = "AspireVector.Process";

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    /// <param name="meterFactory">The host's meter factory, so hosts in one process do not see each other's meters.</param>
    /// <param name="applicationName">The <c>name</c> label of <c>app_info</c>.</param>
    /// <param name="version">The <c>version</c> label of <c>app_info</c>.</param>
    public ProcessMetrics(IMeterFactory meterFactory, string applicationName, string version)
    {
        var meter = meterFactory.Create(Name);
        var infoTags = new KeyValuePair<string, object?>[] { new("name", applicationName), new("version", version) };
        var startTime = new DateTimeOffset(Process.GetCurrentProcess().StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0;

        meter.CreateObservableGauge("app_info", () => new Measurement<int>(1, infoTags),
            description: "information about the server: name and version");
        meter.CreateObservableGauge("process_resident_memory_bytes", () => Environment.WorkingSet,
            unit: "By", description: "Resident memory size in bytes.");
        meter.CreateObservableGauge("process_virtual_memory_bytes", ReadVirtualMemory,
            unit: "By", description: "Virtual memory size in bytes.");
        meter.CreateObservableCounter("process_cpu_seconds_total", () => Environment.CpuUsage.TotalTime.TotalSeconds,
            unit: "s", description: "Total user and system CPU time spent in seconds.");
        meter.CreateObservableGauge("process_start_time_seconds", () => startTime,
            unit: "s", description: "Start time of the process since unix epoch in seconds.");
        meter.CreateObservableGauge("process_open_fds", CountOpenFileDescriptors,
            description: "Number of open file descriptors.");
        meter.CreateObservableGauge("dotnet_gc_heap_bytes", () => GC.GetTotalMemory(false),
            unit: "By", description: "Bytes currently thought to be allocated on the managed heap.");
        meter.CreateObservableCounter("dotnet_gc_collections_total", ObserveCollections,
            description: "Garbage collections since the process started, per generation.");
        meter.CreateObservableGauge("dotnet_threadpool_threads", () => ThreadPool.ThreadCount,
            description: "Thread pool threads currently alive.");
    }

    /// <inheritdoc />
    public string MeterName => Name;

    private static long ReadVirtualMemory()
    {
        using var process = Process.GetCurrentProcess();
        return process.VirtualMemorySize64;
    }

    private static IEnumerable<Measurement<int>> CountOpenFileDescriptors()
    {
        // Only Linux exposes the descriptor table as a directory; elsewhere the family stays empty.
        if (!Directory.Exists("/proc/self/fd"))
        {
            yield break;
        }

        var count = 0;
        foreach (var _ in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            count++;
        }

        yield return new Measurement<int>(count);
    }

    private static IEnumerable<Measurement<long>> ObserveCollections()
    {
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            yield return new Measurement<long>(GC.CollectionCount(generation),
                new KeyValuePair<string, object?>("generation", generation.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
