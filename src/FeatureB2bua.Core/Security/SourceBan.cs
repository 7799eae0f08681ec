using System.Net;

namespace FeatureB2bua.Core.Security;

/// <summary>One banned source: until when, and why (<c>flood</c> or <c>scanner</c>).</summary>
public sealed record SourceBan(IPAddress Source, DateTimeOffset Until, string Reason);
