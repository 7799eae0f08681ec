using FeatureB2bua.Hosting;
using FeatureB2bua.Sip.Stack;
using FeatureB2bua.Sip.Transport;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FeatureB2bua.Tests.Registration;

/// <summary>The reaper deletes a binding from the store once its time is up, on the injected clock.</summary>
public sealed class BindingReaperTests
{
    [Fact]
    public async Task Reaper_BindingExpires_IsDeletedFromTheStore()
    {
        var work = Directory.CreateTempSubdirectory("reaper-");
        var database = Path.Combine(work.FullName, "b2bua.db");
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var app = ServerApp.Build(
            [
                "--Sip:Listen:0=udp:127.0.0.1:0", "--Sip:Listen:1=tcp:127.0.0.1:0", "--urls=http://127.0.0.1:0",
                $"--Storage:ConnectionString=Data Source={database}", "--Logging:LogLevel:Default=Warning",
            ],
            services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        await app.StartAsync();
        var udp = app.Services.GetRequiredService<SipStack>().Transports.First(t => t.ListenPoint.Protocol == TransportProtocol.Udp).LocalEndPoint;
        using var client = new UdpSipClient(udp);
        var registered = await new RegisteringPhone(client, "alice", "alice-demo-pw").RegisterAsync("Contact: <sip:alice@192.0.2.5>\nExpires: 60\n");
        Assert.Equal(200, registered.StatusCode);

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(1, await RowsAsync());
        clock.Advance(TimeSpan.FromSeconds(2));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await RowsAsync() > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, await RowsAsync());
        await app.StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        work.Delete(recursive: true);

        // Counts rows whatever their expiry, which reads alone would hide: only the reaper deletes them.
        async Task<int> RowsAsync()
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database}");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM bindings";
            return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
