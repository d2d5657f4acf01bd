using System.Net;
using System.Text.RegularExpressions;
using Omo.Clienteling.Demo;

namespace Omo.Clienteling.Tests.Support;

/// <summary>An HTTP client signed in as a demo staff member through the real sign-in form (antiforgery token and all).</summary>
public static partial class StaffSession
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public static async Task<(HttpClient Client, CookieContainer Cookies)> SignInAsync(AppServer app, string staffCode, string? pin = null)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        var response = await PostSignInAsync(client, staffCode, pin ?? DemoStaff.All.Single(s => s.Code == staffCode).Pin);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in as {staffCode} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (client, cookies);
    }

    /// <summary>Posts the sign-in form; a redirect means signed in, 200 means the form came back with a message.</summary>
    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string staffCode, string pin)
    {
        var form = await client.GetStringAsync("/signin");
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        return await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.Code"] = staffCode, ["Input.Pin"] = pin, ["returnUrl"] = "/",
        }));
    }
}
