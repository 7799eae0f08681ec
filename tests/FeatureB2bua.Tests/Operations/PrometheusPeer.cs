using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Operations;

/// <summary>
/// A real Prometheus server (Debian package prometheus) on a free loopback port with a TSDB of its own, run with a
/// configuration until disposed, when it is killed by its PID and its directory removed.
/// </summary>
internal sealed class PrometheusPeer : IDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _work;
    private readonly StringBuilder _log = new();

    private PrometheusPeer(Process process, DirectoryInfo work, int port)
    {
        _process = process;
        _work = work;
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/v1/"), Timeout = TimeSpan.FromSeconds(5) };
    }

    public HttpClient Api { get; }

    /// <summary>What Prometheus wrote so far, for a failure message.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts Prometheus on <paramref name="config"/>, written as prometheus.yml beside copies of <paramref name="ruleFiles"/>.</summary>
    public static PrometheusPeer Start(string config, params string[] ruleFiles)
    {
        var work = Directory.CreateTempSubdirectory("prometheus-");
        File.WriteAllText(Path.Combine(work.FullName, "prometheus.yml"), config);
        foreach (var file in ruleFiles)
        {
            File.Copy(file, Path.Combine(work.FullName, Path.GetFileName(file)));
        }

        var port = FreeTcpPort();
        var start = new ProcessStartInfo(PeerProgram.Find("prometheus") ?? throw new InvalidOperationException("prometheus is not installed; CI installs it through .ci/run."))
        {
            WorkingDirectory = work.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add($"--config.file={Path.Combine(work.FullName, "prometheus.yml")}");
        start.ArgumentList.Add($"--storage.tsdb.path={Path.Combine(work.FullName, "data")}");
        start.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port}");
        var peer = new PrometheusPeer(Process.Start(start)!, work, port);
        peer._process.OutputDataReceived += (_, e) => peer.Append(e.Data);
        peer._process.ErrorDataReceived += (_, e) => peer.Append(e.Data);
        peer._process.BeginOutputReadLine();
        peer._process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>The result vector of an instant query (<c>/api/v1/query</c>), or null while Prometheus does not answer yet.</summary>
    public async Task<JsonElement[]?> QueryAsync(string promql)
    {
        var body = await GetAsync("query?query=" + Uri.EscapeDataString(promql));
        return body?.GetProperty("result").EnumerateArray().ToArray();
    }

    /// <summary>
    /// The <c>data</c> of a successful API answer, or null while Prometheus does not answer yet (no listener, or 503
    /// until its TSDB is open); an error answer (a query it cannot parse, say) fails the test with its message.
    /// </summary>
    public async Task<JsonElement?> GetAsync(string path)
    {
        HttpResponseMessage response;
        try
        {
            response = await Api.GetAsync(new Uri(path, UriKind.Relative));
        }
        catch (HttpRequestException)
        {
            Assert.False(_process.HasExited, "prometheus exited:\n" + Log);
            return null;
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                return null;
            }

            var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(answer.GetProperty("status").GetString() == "success", $"{path}: {answer}");
            return answer.GetProperty("data");
        }
    }

    public void Dispose()
    {
        Api.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit();
        _process.Dispose();
        _work.Delete(recursive: true);
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
