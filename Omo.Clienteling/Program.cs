using MudBlazor.Services;
using Omo.Clienteling;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.CheckIns;
using Omo.Clienteling.Components;
using Omo.Clienteling.Data;
using Omo.Clienteling.Demo;
using Omo.Clienteling.Holds;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Members;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.Staff;
using Omo.Clienteling.TalkingPoints;
using Omo.Clienteling.Webhooks;

var builder = WebApplication.CreateBuilder(args);
DevelopmentDefaults.RefuseOutsideDevelopment(builder.Configuration, builder.Environment);

builder.Services.AddOmoData(builder.Configuration, builder.Environment);
builder.Services.AddCatalog(builder.Configuration);
builder.Services.AddDemo(builder.Configuration);
builder.Services.AddStaff(builder.Configuration);
builder.Services.AddMembers(builder.Configuration);
builder.Services.AddApiKeys(builder.Configuration);
builder.Services.AddCheckIns(builder.Configuration);
builder.Services.AddIngestion(builder.Configuration);
builder.Services.AddScanning(builder.Configuration);
builder.Services.AddTalkingPoints(builder.Configuration);
builder.Services.AddHolds(builder.Configuration);
builder.Services.AddWebhooks(builder.Configuration);

builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
builder.Services.AddMudServices();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();

var app = builder.Build();
app.UseForwardedHeaders();

await app.InitializeDatabaseAsync();

if (args is [ImportCommand.Verb, .. var importArgs])
    return await ImportCommand.RunAsync(app.Services, importArgs, Console.Out);
if (args is [StaffCommand.Verb, .. var staffArgs])
    return await StaffCommand.RunAsync(app.Services, staffArgs, Console.In, Console.Out);

if (!app.Environment.IsDevelopment())
{
    // No stack traces to users: the API answers problem details, the tablet a page with the request id.
    app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), api => api.UseExceptionHandler());
    app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api"), ui => ui.UseExceptionHandler("/error", createScopeForErrors: true));
    app.UseHsts();
    app.UseHttpsRedirection();
}
app.UseSecurityHeaders();
app.UseStorageFailures();

app.UseRequestLocalization(CultureEndpoint.Options());

app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapHealthEndpoints();
app.MapCultureEndpoint();
app.MapStaffEndpoints();
app.MapCatalogEndpoints();
app.MapMemberApi();
app.MapEventsApi();
app.MapHub<CheckInHub>(CheckInHub.Path);
app.MapOpenApi();
// Our own Content-Security-Policy (SecurityHeaders) already says frame-ancestors 'none'.
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);

app.Run();
return 0;

public partial class Program;
