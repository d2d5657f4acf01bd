using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.Tests.Support;

namespace Omo.Clienteling.Tests.Members;

public abstract class ProfileApiTests(EndToEndFixture fixture)
{
    private async Task<HttpResponseMessage> Get(string code, string? key = "demo-ingest-key")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/members/{Uri.EscapeDataString(code)}/profile?store=S01");
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        return await fixture.App.Http.SendAsync(request);
    }

    [Fact]
    public async Task A_point_card_returns_the_unified_profile_as_json()
    {
        var response = await Get("2900000000018");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var profile = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("0000000001", profile.GetProperty("member").GetProperty("memberNo").GetString());
        Assert.Equal(3, profile.GetProperty("views")[0].GetProperty("views").GetInt32());
        Assert.True(profile.GetProperty("timeline").GetArrayLength() > 5);
    }

    [Fact]
    public async Task A_valid_app_code_is_accepted()
    {
        var key = fixture.App.Services.GetRequiredService<IOptions<MemberCodeOptions>>().Value.KeyBytes();
        var response = await Get(AppCode.Create(key, "0000000002", DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("2900000000019", 400, "malformed")]
    [InlineData("2900099999996", 404, "unknown")]
    [InlineData("OMO1:0000000002:1:0011223344556677", 422, "forged")]
    public async Task Every_other_outcome_is_problem_details_with_its_own_status(string code, int status, string outcome)
    {
        var response = await Get(code);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(outcome, problem.GetProperty("outcome").GetString());
        Assert.EndsWith(outcome, problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_expired_app_code_is_422_expired()
    {
        var key = fixture.App.Services.GetRequiredService<IOptions<MemberCodeOptions>>().Value.KeyBytes();
        var problem = await (await Get(AppCode.Create(key, "0000000002", DateTimeOffset.UtcNow.AddMinutes(-10)))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("expired", problem.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task No_key_or_a_wrong_key_is_401_problem_details()
    {
        foreach (var key in new[] { null, "not-a-key" })
        {
            var response = await Get("2900000000018", key);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Collection(EndToEndOnSqlite.Name)]
    public sealed class OnSqlite(EndToEndFixture.OnSqlite fixture) : ProfileApiTests(fixture);

    [Collection(EndToEndOnPostgres.Name)]
    public sealed class OnPostgres(EndToEndFixture.OnPostgres fixture) : ProfileApiTests(fixture);
}
