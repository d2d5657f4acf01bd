using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Omo.Clienteling.LocalServers;

/// <summary>A throwaway redis-server (Debian's, installed by .ci/run) on a free loopback port, without persistence.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    public int Port { get; } = FreePort.Next();
    public string Configuration => $"127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        var binary = Environment.GetEnvironmentVariable("OMO_REDIS_SERVER") ?? "/usr/bin/redis-server";
        if (!File.Exists(binary)) throw new InvalidOperationException($"{binary} is missing: apt-get install redis-server (.ci/run does).");
        _process = LocalProcess.Launch(binary, ["--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"]);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await PingAsync())
        {
            if (DateTime.UtcNow > deadline || _process.HasExited) throw new InvalidOperationException("redis-server did not start.");
            await Task.Delay(50);
        }
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG");
        }
        catch (SocketException) { return false; }
    }

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill();
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
