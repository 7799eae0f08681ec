using Microsoft.Extensions.Logging.Console;

namespace FeatureB2bua.Hosting;

internal static class ConsoleLoggingExtensions
{
    private const string FormatterOptionsSection = "Logging:Console:FormatterOptions";

    /// <summary>
    /// Console lines with their scopes (a call's <c>CallId</c> and <c>BCallId</c>) and UTC ISO timestamps: single-line
    /// text by default, JSON with <c>Logging:Console:FormatterName=json</c>. These are defaults: the standard
    /// <c>Logging:Console:FormatterOptions</c> settings are bound after them and win.
    /// </summary>
    public static ILoggingBuilder AddConsoleLogging(this ILoggingBuilder logging, IConfiguration configuration)
    {
        logging.AddConsole();

        // Without a formatter name the console logger takes its formatter's options from its own obsolete settings,
        // not from the formatter options below; naming one, unless the configuration did, keeps them.
        logging.Services.PostConfigure<ConsoleLoggerOptions>(o => o.FormatterName ??= ConsoleFormatterNames.Simple);
        logging.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            WriteDefaults(o);
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        logging.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            WriteDefaults(o);
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        logging.Services.Configure<SimpleConsoleFormatterOptions>(configuration.GetSection(FormatterOptionsSection));
        logging.Services.Configure<JsonConsoleFormatterOptions>(configuration.GetSection(FormatterOptionsSection));
        return logging;
    }

    private static void WriteDefaults(ConsoleFormatterOptions options)
    {
        options.IncludeScopes = true;
        options.UseUtcTimestamp = true;
    }
}
