using System.Net;
using System.Text.RegularExpressions;
using Omo.Clienteling.Demo;

namespace Omo.Clienteling.Tests.Support;

/// <summary>An HTTP client signed in as a demo staff member through the real sign-in form (antiforgery token and all).</summary>
public static partial class StaffSession
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("data-testid=\"signin-error\" data-outcome=\"([a-z]+)\">([^<]*)<")]
    private static partial Regex SignInError();

    public static async Task<(HttpClient Client, CookieContainer Cookies)> SignInAsync(AppServer app, string staffCode, string? pin = null, string? from = null)
    {
        var cookies = new CookieContainer();
        var client = ClientFrom(app, from, cookies);
        var response = await PostSignInAsync(client, staffCode, pin ?? DemoStaff.All.Single(s => s.Code == staffCode).Pin);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in as {staffCode} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (client, cookies);
    }

    /// <summary>
    /// A browser-like client (cookies, no automatic redirects). With <paramref name="address"/>, it comes through a load
    /// balancer that says so in X-Forwarded-For (the app believes loopback proxies): each test its own shop address.
    /// </summary>
    public static HttpClient ClientFrom(AppServer app, string? address, CookieContainer? cookies = null)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        if (address is not null) client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    /// <summary>A failed sign-in's answer as the form shows it: the outcome and the words; ("signedin", "") for a sign-in.</summary>
    public static async Task<(string Outcome, string Message)> SignInAnswerAsync(HttpClient client, string staffCode, string pin) =>
        await AnswerOf(await PostSignInAsync(client, staffCode, pin));

    public static async Task<(string Outcome, string Message)> AnswerOf(HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.Redirect) return ("signedin", "");
        var error = SignInError().Match(await response.Content.ReadAsStringAsync());
        if (!error.Success) throw new InvalidOperationException($"The sign-in form answered {(int)response.StatusCode} without a message.");
        return (error.Groups[1].Value, WebUtility.HtmlDecode(error.Groups[2].Value));
    }

    /// <summary>Signs out as the menu's form does: a post with the antiforgery token of a page the client was shown.</summary>
    public static async Task<HttpResponseMessage> SignOutAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/denied");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        return await client.PostAsync("/signout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token) }));
    }

    /// <summary>Posts the sign-in form; a redirect means signed in, 200 means the form came back with a message.</summary>
    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string staffCode, string pin) =>
        await PostSignInAsync(client, await FormTokenAsync(client), staffCode, pin);

    /// <summary>The antiforgery token of a freshly loaded sign-in form.</summary>
    public static async Task<string> FormTokenAsync(HttpClient client) =>
        WebUtility.HtmlDecode(AntiforgeryField().Match(await client.GetStringAsync("/signin")).Groups[1].Value);

    public static Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string token, string staffCode, string pin) =>
        client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = token,
            ["Input.Code"] = staffCode, ["Input.Pin"] = pin, ["returnUrl"] = "/",
        }));
}
