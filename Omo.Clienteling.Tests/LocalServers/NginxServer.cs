using System.Diagnostics;
using System.Net.Sockets;

namespace Omo.Clienteling.LocalServers;

/// <summary>
/// Debian's nginx in front of several app servers on loopback, as a chain's load balancer: WebSockets proxied and
/// sticky sessions (a Blazor Server circuit lives on the server that started it). Open-source nginx has no
/// <c>sticky</c> directive, so the first answer names the chosen server in a cookie and a <c>map</c> sends the
/// browser's later requests back to it. The configuration is the one the README's scale-out section shows.
/// </summary>
public sealed class NginxServer : IAsyncDisposable
{
    private const string WorkerUser = "www-data";
    private Process? _process;
    private string? _folder;

    public int Port { get; } = FreePort.Next();
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The nginx.conf for <paramref name="backends"/> (host:port each), listening on <paramref name="port"/>.</summary>
    public static string Configuration(int port, IReadOnlyList<string> backends, string folder) => $$"""
        daemon off;
        worker_processes 1;
        pid {{folder}}/nginx.pid;
        error_log {{folder}}/error.log warn;
        events { worker_connections 1024; }
        http {
            access_log off;
            client_body_temp_path {{folder}}/client_body;
            proxy_temp_path {{folder}}/proxy;
            fastcgi_temp_path {{folder}}/fastcgi;
            uwsgi_temp_path {{folder}}/uwsgi;
            scgi_temp_path {{folder}}/scgi;

            # WebSockets (Blazor circuits, the check-in hub) pass through.
            map $http_upgrade $connection_upgrade { default upgrade; '' close; }

            upstream omo {
        {{string.Join("\n", backends.Select(b => $"        server {b};"))}}
            }

            # Sticky sessions: a browser that has been given a server keeps it. Only known servers are accepted from
            # the cookie; anything else goes through the upstream's own balancing.
            map $cookie_omo_server $omo_backend {
                default omo;
        {{string.Join("\n", backends.Select(b => $"        \"{b}\" {b};"))}}
            }

            server {
                listen 127.0.0.1:{{port}};
                location / {
                    proxy_pass http://$omo_backend;
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $connection_upgrade;
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_read_timeout 1h;
                    add_header Set-Cookie "omo_server=$upstream_addr; Path=/; HttpOnly; SameSite=Lax" always;
                }
            }
        }
        """;

    public async Task StartAsync(IReadOnlyList<string> backends)
    {
        var binary = Environment.GetEnvironmentVariable("OMO_NGINX") ?? "/usr/sbin/nginx";
        if (!File.Exists(binary)) throw new InvalidOperationException($"{binary} is missing: apt-get install nginx (.ci/run does).");
        _folder = await LocalProcess.FolderForAsync("omo-nginx-", WorkerUser);
        var config = Path.Combine(_folder, "nginx.conf");
        await File.WriteAllTextAsync(config, Configuration(Port, backends, _folder));
        if (LocalProcess.IsRoot) await LocalProcess.RunAsync("chown", [$"{WorkerUser}:{WorkerUser}", config]);
        _process = LocalProcess.Launch(binary, ["-c", config, "-p", _folder], WorkerUser);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await ListeningAsync())
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
                throw new InvalidOperationException($"nginx did not start: {await File.ReadAllTextAsync(Path.Combine(_folder, "error.log")).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : "")}");
            await Task.Delay(50);
        }
    }

    private async Task<bool> ListeningAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            return true;
        }
        catch (SocketException) { return false; }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        // What nginx complained about is the first thing to read when a test through it fails.
        var log = _folder is null ? null : Path.Combine(_folder, "error.log");
        if (log is not null && File.Exists(log) && new FileInfo(log).Length > 0) Console.WriteLine($"nginx error.log:\n{await File.ReadAllTextAsync(log)}");
        if (_folder is not null) try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
