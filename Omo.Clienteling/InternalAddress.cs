using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Omo.Clienteling.CheckIns;

namespace Omo.Clienteling;

/// <summary>
/// Where this server reaches itself (its hub for the live feed, its events API for the trainer's tools):
/// <c>CheckIns:InternalUrl</c>, or else a loopback form of the address Kestrel listens on. Behind a proxy or TLS
/// offload the public name may not be reachable from inside, hence the setting.
/// </summary>
public sealed class InternalAddress(IOptions<CheckInOptions> options, IServer server)
{
    public Uri Base
    {
        get
        {
            if (options.Value.InternalUrl is { Length: > 0 } configured) return new Uri(configured);
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var address = addresses.OrderBy(a => a.StartsWith("https", StringComparison.OrdinalIgnoreCase)).FirstOrDefault()
                ?? throw new InvalidOperationException("The server has no address to reach itself at; set CheckIns:InternalUrl.");
            return new Uri(address.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1")
                .Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://127.0.0.1").Replace("://localhost", "://127.0.0.1"));
        }
    }
}
