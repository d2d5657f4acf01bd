using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Omo.Clienteling.Data;

/// <summary>
/// The ASP.NET Core Data Protection key ring, kept in the database so every server of a chain shares it: a sign-in
/// cookie, an antiforgery token or the live feed's token made by one server is read by the others. The key ring is
/// read at start-up and then rarely (when a key is new or about to expire), so the interface being synchronous costs
/// no request its time.
/// </summary>
public sealed class DataProtectionKeys(OmoDatabase database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.Dialect.OpenBlocking();
        return connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY created_at, friendly_name")
            .Select(x => XElement.Parse(x)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = database.Dialect.OpenBlocking();
        connection.Execute("""
            INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES (@friendlyName, @xml, @at)
            ON CONFLICT (friendly_name) DO UPDATE SET xml = excluded.xml
            """, new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), at = DateTimeOffset.UtcNow });
    }
}
