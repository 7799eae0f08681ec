using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace FeatureB2bua.Tests.Common;

/// <summary>
/// A real PostgreSQL server (the Debian package's binaries) for one test class: initdb into a temp directory, then
/// postgres on 127.0.0.1 and a free port, trusting local connections. PostgreSQL refuses to run as root, so as root the
/// server runs as <c>nobody</c> through setpriv, which execs (no fork), so the PID we hold is the postmaster's.
/// Durability is off (fsync, synchronous_commit): a test database is thrown away.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const int Nobody = 65534;
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(15);

    private readonly string _root;
    private readonly Process _postmaster;

    private PostgresServer(string root, Process postmaster, int port)
    {
        _root = root;
        _postmaster = postmaster;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=10";
    }

    /// <summary>The directory of the newest installed PostgreSQL's programs, or null when none is installed.</summary>
    public static string? BinDirectory { get; } = FindBinDirectory();

    /// <summary>
    /// Why a test needing PostgreSQL is skipped here, or null when it runs: it always runs in CI (CI=true), where
    /// .ci/run installs the package and a missing server fails the test.
    /// </summary>
    public static string? SkipReason =>
        BinDirectory is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? "PostgreSQL is not installed (apt-get install postgresql); CI installs it and fails without it."
            : null;

    /// <summary>The maintenance database <c>postgres</c> as superuser; see <see cref="CreateDatabaseAsync"/> for a test's own.</summary>
    public string ConnectionString { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = BinDirectory ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql); .ci/run installs it.");
        var root = Directory.CreateTempSubdirectory("featureb2bua-pg-").FullName;
        try
        {
            var data = Path.Combine(root, "data");
            var socket = Path.Combine(root, "socket");
            Directory.CreateDirectory(socket);
            if (Environment.UserName == "root")
            {
                await RunAsync(["chown", "-R", $"{Nobody}:{Nobody}", root]).ConfigureAwait(false);
            }

            await RunAsync(AsPostgresUser(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]))
                .ConfigureAwait(false);
            var port = FreePort();
            var postmaster = Start(
                AsPostgresUser(
                    Path.Combine(bin, "postgres"),
                    ["-D", data, "-k", socket, "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture),
                     "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300"]),
                Path.Combine(root, "postgres.log"));
            var server = new PostgresServer(root, postmaster, port);
            try
            {
                await server.WaitUntilAcceptingAsync().ConfigureAwait(false);
                return server;
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch
        {
            TryDelete(root);
            throw;
        }
    }

    /// <summary>Creates an empty database and returns the connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\";", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Stops the server by its PID (SIGINT: fast shutdown, or a kill when it does not go) and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (!_postmaster.HasExited)
        {
            await RunAsync(["kill", "-INT", _postmaster.Id.ToString(CultureInfo.InvariantCulture)]).ConfigureAwait(false);
            using var limit = new CancellationTokenSource(StopLimit);
            try
            {
                await _postmaster.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _postmaster.Kill(entireProcessTree: true);
                await _postmaster.WaitForExitAsync().ConfigureAwait(false);
            }
        }

        _postmaster.Dispose();
        TryDelete(_root);
    }

    private async Task WaitUntilAcceptingAsync()
    {
        var deadline = DateTime.UtcNow + StartLimit;
        while (true)
        {
            if (_postmaster.HasExited)
            {
                throw new InvalidOperationException($"postgres exited with {_postmaster.ExitCode}: {ReadLog()}");
            }

            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString);
                await connection.OpenAsync().ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    private string ReadLog()
    {
        var log = Path.Combine(_root, "postgres.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no log)";
    }

    private static string? FindBinDirectory()
    {
        const string installed = "/usr/lib/postgresql";
        return Directory.Exists(installed)
            ? Directory.GetDirectories(installed)
                .Select(dir => (Dir: dir, Version: int.TryParse(Path.GetFileName(dir), out var v) ? v : -1))
                .Where(d => d.Version >= 0 && File.Exists(Path.Combine(d.Dir, "bin", "postgres")))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Dir, "bin"))
                .FirstOrDefault()
            : null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A PostgreSQL program's command line, as <c>nobody</c> when we are root (setpriv execs, keeping the PID).</summary>
    private static string[] AsPostgresUser(string program, IReadOnlyList<string> arguments) =>
        Environment.UserName == "root"
            ? ["setpriv", $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "--", program, .. arguments]
            : [program, .. arguments];

    /// <summary>Starts <paramref name="command"/> with its output appended to <paramref name="log"/>: a pipe we never read would fill and stall the server.</summary>
    private static Process Start(string[] command, string log)
    {
        var shell = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var argument in (string[])["-c", "exec \"$0\" \"$@\" >>\"$LOG\" 2>&1", .. command])
        {
            shell.ArgumentList.Add(argument);
        }

        shell.Environment["LOG"] = log;
        return Process.Start(shell)!;
    }

    private static async Task RunAsync(string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{string.Join(' ', command)} exited with {process.ExitCode}: {await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}");
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file the server still held: the temp directory is cleaned by the system later.
        }
    }
}
