using System.Net;
using System.Net.Sockets;
using AspireVector.AppHost.Hosting;

namespace AspireVector.AppHost.Orchestration;

/// <summary>Checks, before anything starts, that every local port can be bound.</summary>
public static class PortAvailability
{
    /// <summary>Throws an <see cref="AppHostException"/> naming the first port (and its owner) that is taken.</summary>
    public static void EnsureFree(IEnumerable<(string Owner, int Port)> ports)
    {
        var seen = new Dictionary<int, string>();
        foreach (var (owner, port) in ports)
        {
            if (seen.TryGetValue(port, out var other))
            {
                throw new AppHostException($"Port {port} is assigned twice ({other} and {owner}); choose other --port-base / --dashboard-port values.");
            }

            seen[port] = owner;
            if (!IsFree(port))
            {
                throw new AppHostException(
                    $"Port {port} ({owner}) is already in use on {EndpointReferenceExpression.LocalHost}. " +
                    "Stop whatever holds it or choose other ports with --port-base / --dashboard-port.");
            }
        }
    }

    /// <summary>True when <paramref name="port"/> can be bound on loopback right now.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Parse(EndpointReferenceExpression.LocalHost), port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
