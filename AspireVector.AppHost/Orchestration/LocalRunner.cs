using System.Runtime.InteropServices;
using AspireVector.AppHost.Hosting;

namespace AspireVector.AppHost.Orchestration;

/// <summary>
/// Runs the application on this machine: every resource's built dll as a child process with its own ports and
/// storage, waits for readiness and a leader, prints the resource table, and stops everything on Ctrl+C/SIGTERM.
/// </summary>
public sealed partial class LocalRunner
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly DistributedApplication _app;
    private readonly ConsoleLog _log = new();
    private readonly List<(ProjectResource Resource, SupervisedProcess Process)> _children = [];

    private LocalRunner(DistributedApplication app)
    {
        _app = app;
    }

    /// <summary>Runs until Ctrl+C or SIGTERM; returns the exit code.</summary>
    public static int Run(DistributedApplication app) => new LocalRunner(app).RunAsync().GetAwaiter().GetResult();

    private async Task<int> RunAsync()
    {
        var run = new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run);
        var dotnet = DotnetHost();
        var specs = _app.Resources.Select(r => (Resource: r, Spec: SpecFor(r, run, dotnet))).ToList();
        PortAvailability.EnsureFree(_app.Resources.SelectMany(r => r.Endpoints.Select(e => ($"{r.Name} {e.Name}", e.Port ?? 0))));
        var prometheus = _app.Settings.WithPrometheus ? LocalPrometheus.Prepare(_app, _log) : null;

        using var shutdown = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        // Peers first (node-0, the one the others bootstrap from, before them); everything else after.
        foreach (var (resource, spec) in specs.OrderBy(s => s.Resource.PeerGroup is null ? 1 : 0))
        {
            var child = new SupervisedProcess(spec, _app.Settings.Restart, _log);
            _children.Add((resource, child));
            child.Start();
            _log.Info($"Started {resource.Name} (pid {child.ProcessId}).");
        }

        SupervisedProcess? prometheusProcess = null;
        if (prometheus is not null)
        {
            prometheusProcess = new SupervisedProcess(prometheus, _app.Settings.Restart, _log);
            prometheusProcess.Start();
        }

        try
        {
            var ready = await WaitUntilReadyAsync(shutdown.Token);
            if (!shutdown.IsCancellationRequested)
            {
                _log.Block(ResourceTable(ready, prometheusProcess));
                await Task.Delay(Timeout.Infinite, shutdown.Token);
            }
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            // Ctrl+C / SIGTERM: fall through to the orderly stop.
        }

        _log.Info("Stopping every resource...");
        var stops = _children.Select(c => c.Process.StopAsync(StopGrace)).ToList();
        if (prometheusProcess is not null)
        {
            stops.Add(prometheusProcess.StopAsync(StopGrace));
        }

        await Task.WhenAll(stops);
        _log.Info("All resources stopped.");
        return 0;

        void OnSignal(PosixSignalContext context)
        {
            // Keep the runtime from exiting at once: children must be stopped first.
            context.Cancel = true;
            shutdown.Cancel();
        }
    }

    private ChildProcessSpec SpecFor(ProjectResource resource, DistributedApplicationExecutionContext run, string dotnet)
    {
        var dll = BuildOutput.DllPath(resource);
        var args = new List<string> { dll };
        args.AddRange(resource.GetArgs(run).Select(ResourceValue.ForRun));
        var environment = resource.GetEnvironment(run).ToDictionary(e => e.Key, e => ResourceValue.ForRun(e.Value), StringComparer.Ordinal);
        foreach (var key in new[] { "AV__STORAGE__STORAGE_PATH", "AV__STORAGE__SNAPSHOTS_PATH" })
        {
            if (environment.TryGetValue(key, out var folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        // Project resources run from their project directory, as Aspire does.
        return new ChildProcessSpec(resource.Name, dotnet, args, environment, Path.GetDirectoryName(resource.ProjectPath)!);
    }

    /// <summary>The muxer running this app host (so children use the same runtime), else <c>dotnet</c> from PATH.</summary>
    private static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}
