using System.Net;
using System.Net.Sockets;

namespace AspireVector.Tests;

/// <summary>
/// Ports for servers the tests start later (node processes, in-process nodes, Prometheus). Taken below the kernel's
/// ephemeral range: a port the kernel handed out for "bind to 0" and that was released is free again for the kernel
/// to give to any outgoing connection before the server binds it (the suite makes thousands), which failed CI runs
/// with "address already in use". Below the range only an explicit bind can take a port; each is checked free by
/// binding it and never handed out twice by this process.
/// </summary>
public static class TestPorts
{
    private const int First = 20_000;
    private static readonly int Last = EphemeralStart() - 1;
    private static int _next = First + Random.Shared.Next(0, 4_000);

    /// <summary>A loopback port nothing listens on now and that no other test of this run is given.</summary>
    public static int Free()
    {
        for (int attempt = 0; attempt < 2_000; attempt++)
        {
            int port = Interlocked.Increment(ref _next);
            if (port > Last)
            {
                Interlocked.CompareExchange(ref _next, First, port);
                continue;
            }

            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken (another program, or a server of this run still closing): try the next one.
            }
        }

        throw new InvalidOperationException($"no free port between {First} and {Last}");
    }

    /// <summary>The first port of the kernel's ephemeral range (Linux), 32768 when it cannot be read.</summary>
    private static int EphemeralStart()
    {
        const string Range = "/proc/sys/net/ipv4/ip_local_port_range";
        try
        {
            if (File.Exists(Range) && int.TryParse(File.ReadAllText(Range).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0], out int start) && start > First + 1_000)
                return start;
        }
        catch (IOException)
        {
        }

        return 32_768;
    }
}
