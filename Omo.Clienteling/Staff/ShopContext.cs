using Microsoft.Extensions.Options;
using Omo.Clienteling.Catalog;

namespace Omo.Clienteling.Staff;

/// <summary>Which store this tablet (this circuit or request) is working for.</summary>
public sealed class ShopContext(IOptions<StoreOptions> options)
{
    public string StoreId { get; private set; } = options.Value.Default;

    /// <summary>Who is using the tablet; until staff sign in, the tablet itself.</summary>
    public string StaffCode => _staffCode ?? $"tablet-{StoreId}";

    private string? _staffCode;

    public void UseStore(string storeId) => StoreId = storeId;
}
