using Microsoft.Playwright;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Tests.Support;
using static Omo.Clienteling.Tests.Support.Events;

namespace Omo.Clienteling.Tests.EndToEnd;

/// <summary>Input the tablet's own checks would stop, sent past them, and text too long for the screen.</summary>
public abstract class BadInputTests(EndToEndFixture fixture)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Patient = new() { Timeout = 15_000 };

    [Fact]
    public async Task A_note_past_the_fields_limits_is_refused_with_a_message_and_the_tablet_keeps_working()
    {
        var page = await Chromium.OpenAsync(fixture.Browser, fixture.App.BaseUrl + "/members/0000000003");
        await Assertions.Expect(page.GetByTestId("profile-header")).ToBeVisibleAsync(Patient);
        var field = page.GetByTestId("staff-note-input");
        var refusal = page.Locator(".mud-input-helper-text.mud-input-error");

        // 10 KB straight into the field's value: the browser's maxlength never sees it, the server refuses it.
        await SetValueAsync(field, new string('x', 10_000));
        await page.GetByTestId("staff-note-save").ClickAsync();
        await Assertions.Expect(refusal).ToContainTextAsync("500");
        // Reverse-order text that would show "evil" as "live".
        await SetValueAsync(field, "ok \u202Elive");
        await page.GetByTestId("staff-note-save").ClickAsync();
        await Assertions.Expect(refusal).ToContainTextAsync("U+202E");
        await Assertions.Expect(page.GetByTestId("staff-note").Filter(new() { HasText = "live" })).ToHaveCountAsync(0);

        // The circuit lived through it: the scan field still opens the next customer.
        await page.GetByTestId("scan-input").FillAsync(CardOf(1));
        await page.GetByTestId("scan-input").PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("profile-header")).ToHaveAttributeAsync("data-member-no", "0000000001", new() { Timeout = 15_000 });
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_long_word_in_a_note_and_a_long_name_wrap_on_the_profile_and_the_board_card()
    {
        var memberId = NewMemberId();
        var memberNo = memberId.ToString("D10");
        using var app = fixture.App.ClientWithKey(ApiKeyOptions.DemoKey);
        // Names as long as the events API takes, each one word: nothing for the browser to break at.
        var (_, created) = await PostAsync(app, Event("member_upserted", null, new
        {
            memberNo, familyName = "Wolfeschlegelsteinhausenbergerdorffwelchevoraltern", givenName = "Hubertwolfeschlegelsteinhausenbergerdorffvoraltern",
            tier = "gold", homeStoreId = "S01", consent = new { onlineBehaviour = true, marketing = true }, identities = new[] { Card(CardOf(memberId)) },
        }, at: DateTimeOffset.UtcNow.AddDays(-1)));
        Assert.Equal(1, created.GetProperty("accepted").GetInt32());

        var profile = await Chromium.OpenAsync(fixture.Browser, fixture.App.BaseUrl + "/members/" + memberNo);
        await Assertions.Expect(profile.GetByTestId("profile-header")).ToBeVisibleAsync(Patient);
        // Typed as a tablet keyboard would end it: the last key press is a real one.
        await profile.GetByTestId("staff-note-input").FillAsync(new string('あ', 250) + new string('m', 249));
        await profile.GetByTestId("staff-note-input").PressSequentiallyAsync("m");
        await Assertions.Expect(profile.GetByTestId("staff-note-save")).ToBeEnabledAsync();
        await profile.GetByTestId("staff-note-save").ClickAsync();
        await Assertions.Expect(profile.GetByTestId("staff-note")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        Assert.True(await FitsAsync(profile), "the profile is wider than the tablet");

        var board = await Chromium.OpenAsync(fixture.Browser, fixture.App.BaseUrl + "/board", "M001");
        await Assertions.Expect(board.GetByTestId("live-state")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 15_000 });
        await PostAsync(app, Event("store_checked_in", Card(CardOf(memberId)), new { source = "app" }, storeId: "S01"));
        var card = board.Locator($"[data-testid=checkin-alert][data-member-no='{memberNo}']");
        await Assertions.Expect(card).ToBeVisibleAsync(Patient);
        Assert.True(await FitsAsync(board), "the board is wider than the tablet");
        var cardBox = (await card.BoundingBoxAsync())!;
        var nameBox = (await card.GetByTestId("checkin-open").BoundingBoxAsync())!;
        Assert.True(nameBox.X + nameBox.Width <= cardBox.X + cardBox.Width + 1, "the name runs out of its card");
        await profile.CloseAsync();
        await board.CloseAsync();
    }

    private static Task SetValueAsync(ILocator field, string value) => field.EvaluateAsync("""
        (el, value) => { el.value = value; el.dispatchEvent(new Event('input', { bubbles: true })); el.dispatchEvent(new Event('change', { bubbles: true })); }
        """, value);

    private static Task<bool> FitsAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");

    [Collection(EndToEndOnSqlite.Name)]
    public sealed class OnSqlite(EndToEndFixture.OnSqlite fixture) : BadInputTests(fixture);

    [Collection(EndToEndOnPostgres.Name)]
    public sealed class OnPostgres(EndToEndFixture.OnPostgres fixture) : BadInputTests(fixture);
}
