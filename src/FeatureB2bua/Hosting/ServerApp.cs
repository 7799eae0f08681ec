namespace FeatureB2bua.Hosting;

/// <summary>Builds the server: Program runs it, the integration tests start it in-process on loopback ports.</summary>
public static class ServerApp
{
    public static WebApplication Build(string[] args, Action<IServiceCollection>? overrideServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // DESIGN.md §6: appsettings.json, then FEATUREB2BUA_ variables, then the command line, which wins.
        builder.Configuration.AddEnvironmentVariables("FEATUREB2BUA_");
        builder.Configuration.AddCommandLine(args);
        builder.Logging.AddConsoleLogging(builder.Configuration);
        builder.Services.AddMetrics(builder.Configuration);
        builder.Services.AddRegistrar(builder.Configuration);
        builder.Services.AddConsole(builder.Configuration);
        builder.Services.AddMediaAnchor(builder.Configuration);
        builder.Services.AddFeatureModules();
        builder.Services.AddCalls(builder.Configuration);
        builder.Services.AddSecurity(builder.Configuration);
        builder.Services.AddSipServer(builder.Configuration);
        builder.Services.AddHealthAndDrain(builder.Configuration);
        builder.Services.AddCluster();
        overrideServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapMetrics();
        app.MapHealth();
        app.MapAdminApi();
        app.MapConsoleApi();
        app.MapConsolePage();
        return app;
    }
}
