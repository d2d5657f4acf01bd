using Bunit;
using Dapper;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.Members;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Catalog;

/// <summary>A product tag scanned on the tablet: the product in this shop, every size and colour, the customer kept in context.</summary>
public abstract class ProductPageTests(DemoDatabaseFixture demo) : BunitTestBase(demo.Db)
{
    /// <summary>Gives a demo SKU a JAN code, as the product master would.</summary>
    private async Task<(string Sku, string Style, string Jan)> TaggedAsync(int n)
    {
        await using var connection = await demo.Db.OpenAsync();
        var sku = await connection.ExecuteScalarAsync<string>("SELECT MIN(k.sku) FROM skus k JOIN stock s ON s.sku = k.sku WHERE s.store_id = 'S01' AND s.quantity > 0 AND k.sku LIKE 'DR-%'");
        var body = $"45{n:D10}";
        var jan = body + Gs1.CheckDigit(body);
        await connection.ExecuteAsync("UPDATE skus SET jan = @jan WHERE sku = @sku", new { jan, sku });
        var style = await connection.ExecuteScalarAsync<string>("SELECT style_code FROM skus WHERE sku = @sku", new { sku });
        return (sku!, style!, jan);
    }

    [Fact]
    public async Task A_scanned_product_tag_opens_its_style_here_with_every_size_and_colour_and_the_scanned_one_marked()
    {
        var (sku, style, jan) = await TaggedAsync(9001);
        var visit = Ctx.Services.GetRequiredService<ProfileVisit>();

        var address = await visit.FindAsync(jan, VisitSources.Scan);

        Assert.Equal($"/products/{style}?sku={sku}", address);
        Assert.Null(visit.Problem);
        Ctx.Services.GetRequiredService<NavigationManager>().NavigateTo(address!);
        var page = Ctx.Render<ProductPage>(p => p.Add(x => x.StyleCode, style));
        var scanned = page.WaitForElement($"[data-testid=shelf-cell][data-sku='{sku}']");
        Assert.Contains("scanned", scanned.ClassName);
        Assert.True(int.Parse(scanned.GetAttribute("data-quantity")!) > 0);
        await using var connection = await demo.Db.OpenAsync();
        var onSale = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM skus WHERE style_code = @style AND on_sale = TRUE", new { style });
        Assert.Equal(onSale, page.FindAll("[data-testid=shelf-cell]").Count);
        Assert.Empty(page.FindAll("[data-testid=back-to-customer]"));
    }

    [Fact]
    public async Task From_a_profile_the_product_keeps_the_customer_and_an_unknown_tag_is_a_product_barcode()
    {
        var (sku, style, jan) = await TaggedAsync(9002);
        var visit = Ctx.Services.GetRequiredService<ProfileVisit>();
        await visit.OpenAsync("0000000001", VisitSources.Scan, "point_card", false);

        Assert.Equal($"/products/{style}?sku={sku}&for=0000000001", await visit.FindAsync(jan, VisitSources.Scan));
        Ctx.Services.GetRequiredService<NavigationManager>().NavigateTo($"/products/{style}?sku={sku}&for=0000000001");
        var page = Ctx.Render<ProductPage>(p => p.Add(x => x.StyleCode, style));
        Assert.Equal("/members/0000000001", page.WaitForElement("[data-testid=back-to-customer]").GetAttribute("href"));

        // A JAN that is in no catalogue: still "a product barcode, not a member card".
        var unknownBody = "459999999999";
        Assert.Null(await visit.FindAsync(unknownBody + Gs1.CheckDigit(unknownBody), VisitSources.Scan));
        Assert.Equal(MalformedReason.NotAMemberCard, visit.Problem?.Reason);
    }

    public sealed class OnSqlite(DemoDatabaseFixture.OnSqlite demo) : ProductPageTests(demo), IClassFixture<DemoDatabaseFixture.OnSqlite>;

    public sealed class OnPostgres(DemoDatabaseFixture.OnPostgres demo) : ProductPageTests(demo), IClassFixture<DemoDatabaseFixture.OnPostgres>;
}
