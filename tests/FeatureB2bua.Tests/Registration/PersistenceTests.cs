using System.Net;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Registration;

/// <summary>A binding whose 200 OK was sent is still there after kill -9 and a restart, with the right remaining time.</summary>
public sealed class PersistenceTests
{
    [Fact]
    public async Task Binding_ServerKilledHardAndRestarted_IsStillThere()
    {
        var work = Directory.CreateTempSubdirectory("kill9-");
        var provisioning = Path.Combine(work.FullName, "subscribers.json");
        await File.WriteAllTextAsync(provisioning, """{ "subscribers": [ { "user": "alice", "password": "alice-pw" } ] }""");
        var port = ServerProcess.FreeUdpPort();
        string[] settings = [$"--Storage:ConnectionString=Data Source={Path.Combine(work.FullName, "b2bua.db")}", $"--Provisioning:File={provisioning}", "--Auth:NonceSecret=kill9"];
        var server = new IPEndPoint(IPAddress.Loopback, port);

        using (var first = await ServerProcess.StartAsync(port, settings))
        {
            using var client = new UdpSipClient(server);
            var registered = await new RegisteringPhone(client, "alice", "alice-pw").RegisterAsync("Contact: <sip:alice@192.0.2.44:5062>\nExpires: 3600\n");
            Assert.Equal(200, registered.StatusCode);
            first.KillHard();
        }

        using var second = await ServerProcess.StartAsync(port, settings);
        using var again = new UdpSipClient(server);
        var query = await new RegisteringPhone(again, "alice", "alice-pw").RegisterAsync(string.Empty);

        Assert.Equal(200, query.StatusCode);
        var contact = Assert.Single(query.Contacts!);
        Assert.Equal("sip:alice@192.0.2.44:5062", contact.Address!.Uri.Raw);
        Assert.InRange(contact.Expires!.Value, 3500u, 3600u);
        work.Delete(recursive: true);
    }
}
