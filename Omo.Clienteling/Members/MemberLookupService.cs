using Omo.Clienteling.Scanning;

namespace Omo.Clienteling.Members;

/// <summary>Scan or typed text in, lookup out: the parser with this app's key and clock, then the resolver.</summary>
public sealed class MemberLookupService(IdentityResolver resolver, Microsoft.Extensions.Options.IOptions<MemberCodeOptions> options, TimeProvider clock)
{
    private readonly byte[] _key = options.Value.KeyBytes();

    public Task<MemberLookup> LookupAsync(string? input, CancellationToken cancellationToken = default) =>
        resolver.ResolveAsync(MemberCodeParser.Parse(input, _key, clock.GetUtcNow()), cancellationToken);
}
