using System.Net;
using FeatureB2bua.Hosting;
using FeatureB2bua.Sip.Stack;
using FeatureB2bua.Sip.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>The real server, in-process, on loopback ports the OS picks, with a store of its own that goes with it.</summary>
public sealed class ServerFixture : IAsyncLifetime, IAsyncDisposable
{
    private readonly string[] _extraArgs;
    private readonly Action<IServiceCollection>? _overrideServices;
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("server-");
    private WebApplication? _app;

    public ServerFixture()
        : this([])
    {
    }

    private ServerFixture(string[] extraArgs, Action<IServiceCollection>? overrideServices = null)
    {
        _extraArgs = extraArgs;
        _overrideServices = overrideServices;
    }

    public IPEndPoint UdpEndPoint { get; private set; } = null!;

    public IPEndPoint TcpEndPoint { get; private set; } = null!;

    /// <summary>The TLS listen point, when the test configured one.</summary>
    public IPEndPoint? TlsEndPoint { get; private set; }

    public SipStack Stack { get; private set; } = null!;

    /// <summary>The server's services, for tests that look at its state from inside (active calls, transactions).</summary>
    public IServiceProvider Services => _app!.Services;

    /// <summary>A client for the server's HTTP endpoints (the admin API), with the bound address as its base.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>A started server with settings of its own (<c>--Key=value</c>); later settings override the defaults.</summary>
    public static Task<ServerFixture> StartAsync(params string[] extraArgs) => StartAsync(null, extraArgs);

    /// <summary>As <see cref="StartAsync(string[])"/>, with services replaced after the server's own (a manual clock, say).</summary>
    public static async Task<ServerFixture> StartAsync(Action<IServiceCollection>? overrideServices, params string[] extraArgs)
    {
        var server = new ServerFixture(extraArgs, overrideServices);
        try
        {
            await server.InitializeAsync();
        }
        catch
        {
            // A start that fails (a test of bad settings) leaves no store directory behind.
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public async Task InitializeAsync()
    {
        _app = ServerApp.Build(
        [
            "--Sip:Listen:0=udp:127.0.0.1:0",
            "--Sip:Listen:1=tcp:127.0.0.1:0",
            "--Sip:Domain=example.test",
            "--urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",

            // The tests' clients and SIPp peers speak from 127.0.0.1 at load-test rates; the flood tests limit other loopback addresses.
            "--Security:Flood:Exempt:0=127.0.0.1/32",
            $"--Storage:ConnectionString=Data Source={Path.Combine(_work.FullName, "b2bua.db")}",
            .. _extraArgs,
        ], _overrideServices);
        await _app.StartAsync();
        Stack = _app.Services.GetRequiredService<SipStack>();
        UdpEndPoint = Stack.Transports.First(t => t.ListenPoint.Protocol == TransportProtocol.Udp).LocalEndPoint;
        TcpEndPoint = Stack.Transports.First(t => t.ListenPoint.Protocol == TransportProtocol.Tcp).LocalEndPoint;
        TlsEndPoint = Stack.Transports.FirstOrDefault(t => t.ListenPoint.Protocol == TransportProtocol.Tls)?.LocalEndPoint;
        Http = new HttpClient { BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _work.Delete(recursive: true);
    }
}
