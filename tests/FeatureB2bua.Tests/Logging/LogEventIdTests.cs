using System.Reflection;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Hosting;
using FeatureB2bua.Media.Anchor;
using FeatureB2bua.Sip.Messages;
using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Tests.Logging;

/// <summary>An event id names one kind of line across the server, so an operator can filter and alert on it.</summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void EveryLoggerMessageOfTheServer_HasAnEventIdOfItsOwn()
    {
        Assembly[] assemblies = [typeof(ServerApp).Assembly, typeof(Call).Assembly, typeof(SipMessage).Assembly, typeof(MediaAnchor).Assembly];
        var messages = assemblies
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: $"{m.DeclaringType!.FullName}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .ToList();

        Assert.Contains(messages, m => m.Attribute!.EventId == 4007);
        var shared = messages.GroupBy(m => m.Attribute!.EventId).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}");
        Assert.Empty(shared);
    }
}
