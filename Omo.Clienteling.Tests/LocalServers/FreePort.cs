using System.Net;
using System.Net.Sockets;

namespace Omo.Clienteling.LocalServers;

/// <summary>Loopback ports for the servers a test run (or the benchmark) starts itself.</summary>
public static class FreePort
{
    /// <summary>A loopback port nobody listens on at this moment.</summary>
    public static int Next()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
