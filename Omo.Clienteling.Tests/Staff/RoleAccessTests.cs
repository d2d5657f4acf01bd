using System.Net;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Omo.Clienteling.Data;
using Omo.Clienteling.Demo;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Staff;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Staff;

/// <summary>Each role against every page and endpoint, over HTTP against the real server (the policy runs before any page).</summary>
public abstract class RoleAccessTests(AppServer app)
{
    public static TheoryData<string, string, bool> Pages => new()
    {
        { "A001", "/", true }, { "A001", "/members/0000000001", true }, { "A001", "/reports/talking-points", false },
        { "A001", "/audit", false }, { "A001", "/admin/staff", false }, { "A001", "/admin/erase", false }, { "A001", "/stores", false },
        { "M001", "/", true }, { "M001", "/reports/talking-points", true }, { "M001", "/audit", true }, { "M001", "/admin/erase", false },
        { "T001", "/", true }, { "T001", "/members/0000000001", true }, { "T001", "/audit", true }, { "T001", "/board", true }, { "A001", "/board", false }, { "M001", "/board", true }, { "T001", "/trainer", true }, { "A001", "/trainer", false }, { "M001", "/demo/cards", false }, { "X001", "/trainer", true }, { "T001", "/admin/staff", false },
        { "X001", "/", true }, { "X001", "/audit", true }, { "X001", "/admin/staff", true }, { "X001", "/admin/erase", true },
        { "X001", "/admin/api-keys", true }, { "X001", "/stores", true },
        { "A001", "/holds", true }, { "M001", "/holds", true }, { "T001", "/holds", true },
        { "A001", "/members/merges", false }, { "M001", "/members/merges", true }, { "T001", "/members/merges", true }, { "X001", "/members/merges", true },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Each_role_reaches_its_pages_and_is_turned_away_from_the_others(string staff, string path, bool allowed)
    {
        var (client, _) = await StaffSession.SignInAsync(app, staff);
        var response = await client.GetAsync(path);

        if (allowed) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        else Assert.StartsWith("/denied", response.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/members/0000000001")]
    [InlineData("/audit")]
    public async Task Nobody_signed_in_is_sent_to_the_sign_in_page_and_back(string path)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        var response = await client.GetAsync(path);
        Assert.Equal($"/signin?returnUrl={Uri.EscapeDataString(path)}", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Staff_sign_ins_do_not_open_the_api_and_api_keys_do_not_open_the_pages()
    {
        var (staff, _) = await StaffSession.SignInAsync(app, "X001");
        var events = await staff.PostAsync("/api/v1/events", new StringContent("[]", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, events.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await staff.GetAsync("/api/v1/members/2900000000018/profile")).StatusCode);

        using var key = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        key.DefaultRequestHeaders.Add("X-Api-Key", ApiKeyOptions.DemoKey);
        Assert.StartsWith("/signin", (await key.GetAsync("/audit")).Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Only_trainers_and_admins_choose_their_store()
    {
        var (associate, _) = await StaffSession.SignInAsync(app, "A001");
        Assert.Equal(HttpStatusCode.Forbidden, (await PostStoreAsync(associate, "S02")).StatusCode);

        var (admin, cookies) = await StaffSession.SignInAsync(app, "X001");
        var before = cookies.GetCookies(new Uri(app.BaseUrl))["omo.staff"]!.Value;
        var switched = await PostStoreAsync(admin, "S02");
        Assert.Equal("/audit", switched.Headers.Location!.OriginalString);
        Assert.NotEqual(before, cookies.GetCookies(new Uri(app.BaseUrl))["omo.staff"]!.Value);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostStoreAsync(admin, "EC")).StatusCode);
    }

    [Fact]
    public async Task A_form_post_without_its_antiforgery_token_is_refused()
    {
        var (admin, _) = await StaffSession.SignInAsync(app, "X001");
        var response = await admin.PostAsync("/staff/store", new FormUrlEncodedContent(new Dictionary<string, string> { ["storeId"] = "S02" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_code_and_a_wrong_pin_get_the_same_answer_then_the_code_waits_even_for_the_right_pin()
    {
        using var client = StaffSession.ClientFrom(app, "192.0.2.21");
        var unknown = await StaffSession.SignInAnswerAsync(client, "M998", "0000");
        var wrong = await StaffSession.SignInAnswerAsync(client, "M002", "0000");
        Assert.Equal(("refused", unknown.Message), wrong);
        Assert.DoesNotContain("M002", wrong.Message);
        for (var i = 0; i < 3; i++) await StaffSession.SignInAnswerAsync(client, "M002", "0000");
        Assert.Equal("refused", (await StaffSession.SignInAnswerAsync(client, "M002", "0000")).Outcome);

        var rightPinWhileWaiting = await StaffSession.SignInAnswerAsync(client, "M002", "2222");
        Assert.Equal("throttled", rightPinWhileWaiting.Outcome);
        Assert.Contains("1", rightPinWhileWaiting.Message);
    }

    [Theory]
    [InlineData("%2F%09%2Fevil.example", "/")]
    [InlineData("%2F%2Fevil.example", "/")]
    [InlineData("%2F%5Cevil.example", "/")]
    [InlineData("https%3A%2F%2Fevil.example%2F", "/")]
    [InlineData("%2Fmembers%2F0000000001", "/members/0000000001")]
    public async Task The_language_switch_returns_only_to_our_own_pages(string returnUrl, string location)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        var response = await client.GetAsync($"/culture/en-US?returnUrl={returnUrl}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(location, response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/culture/xx-XX?returnUrl=%2F")).StatusCode);
    }

    [Fact]
    public async Task Pages_with_customers_on_them_are_never_stored_by_the_browser()
    {
        var (client, _) = await StaffSession.SignInAsync(app, "A001");
        var profile = await client.GetAsync("/members/0000000001");
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        Assert.True(profile.Headers.CacheControl!.NoStore);
    }

    [Fact]
    public async Task Every_answer_carries_the_security_headers()
    {
        var response = await app.Http.GetAsync("/signin");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("'wasm-unsafe-eval'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("'unsafe-eval'", csp.Replace("'wasm-unsafe-eval'", ""));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public void Published_development_keys_are_refused_outside_development()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ApiKeys:Keys:0:KeySha256"] = ApiKeyOptions.Hash(ApiKeyOptions.DemoKey),
            ["MemberCodes:AppCodeKey"] = Omo.Clienteling.Scanning.MemberCodeOptions.DevelopmentKey,
        }).Build();
        var production = new HostingEnvironment { EnvironmentName = Environments.Production };
        var refusal = Assert.Throws<InvalidOperationException>(() => DevelopmentDefaults.RefuseOutsideDevelopment(configuration, production));
        Assert.Contains("demo API key", refusal.Message);
        Assert.Contains("AppCodeKey", refusal.Message);
        DevelopmentDefaults.RefuseOutsideDevelopment(configuration, new HostingEnvironment { EnvironmentName = Environments.Development });
    }

    public sealed class ServerOnSqlite() : AppServer(DatabaseProvider.Sqlite);

    public sealed class ServerOnPostgres() : AppServer(DatabaseProvider.Postgres);

    public sealed class OnSqlite(ServerOnSqlite app) : RoleAccessTests(app), IClassFixture<ServerOnSqlite>;

    public sealed class OnPostgres(ServerOnPostgres app) : RoleAccessTests(app), IClassFixture<ServerOnPostgres>;

    private static async Task<HttpResponseMessage> PostStoreAsync(HttpClient client, string storeId)
    {
        var page = await client.GetStringAsync("/denied");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        return await client.PostAsync("/staff/store", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token), ["storeId"] = storeId, ["returnUrl"] = "/audit",
        }));
    }
}

/// <summary>On real customers' data (no demo marker) trainers are kept off the shop floor pages.</summary>
public abstract class TrainerOnRealDataTests(DatabaseProvider provider)
{
    [Fact]
    public async Task A_trainer_sees_no_customer_when_the_app_runs_on_real_data()
    {
        await using var app = new AppServer(provider);
        await app.InitializeAsync();
        var (trainer, _) = await StaffSession.SignInAsync(app, "T001");
        Assert.Equal(HttpStatusCode.OK, (await trainer.GetAsync("/members/0000000001")).StatusCode);

        await using (var c = await app.OpenAsync()) await c.ExecuteAsync("DELETE FROM demo_state");
        await app.Services.GetRequiredService<DemoDataset>().ReloadAsync();

        foreach (var path in new[] { "/members/0000000001", "/board", "/trainer", "/demo/cards", "/demo/app/0000000001" })
            Assert.StartsWith("/denied", (await trainer.GetAsync(path)).Headers.Location!.PathAndQuery);
        var (associate, _) = await StaffSession.SignInAsync(app, "A001");
        Assert.Equal(HttpStatusCode.OK, (await associate.GetAsync("/members/0000000001")).StatusCode);
    }

    public sealed class OnSqlite() : TrainerOnRealDataTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : TrainerOnRealDataTests(DatabaseProvider.Postgres);
}
