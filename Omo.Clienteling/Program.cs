using MudBlazor.Services;
using Omo.Clienteling;
using Omo.Clienteling.Catalog;
using Omo.Clienteling.CheckIns;
using Omo.Clienteling.Components;
using Omo.Clienteling.Data;
using Omo.Clienteling.Demo;
using Omo.Clienteling.Ingestion;
using Omo.Clienteling.Members;
using Omo.Clienteling.Scanning;
using Omo.Clienteling.Staff;
using Omo.Clienteling.TalkingPoints;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddOmoData(builder.Configuration, builder.Environment);
builder.Services.AddCatalog(builder.Configuration);
builder.Services.AddDemo(builder.Configuration);
builder.Services.AddStaff();
builder.Services.AddMembers(builder.Configuration);
builder.Services.AddApiKeys(builder.Configuration, builder.Environment);
builder.Services.AddCheckIns(builder.Configuration);
builder.Services.AddIngestion(builder.Configuration);
builder.Services.AddScanning();
builder.Services.AddTalkingPoints(builder.Configuration);

builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
builder.Services.AddMudServices();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();

var app = builder.Build();

app.InitializeDatabase();

if (args is [ImportCommand.Verb, .. var importArgs])
    return await ImportCommand.RunAsync(app.Services, importArgs, Console.Out);

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

app.UseRequestLocalization(CultureEndpoint.Options());

app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapCultureEndpoint();
app.MapCatalogEndpoints();
app.MapMemberApi();
app.MapEventsApi();
app.MapOpenApi();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();
return 0;

public partial class Program;
