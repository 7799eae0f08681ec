using FeatureB2bua.Tests.Common;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace FeatureB2bua.Storage.Tests;

/// <summary>
/// Finds <see cref="StoreFactAttribute"/> facts. The attribute sits on the shared contract, so only here, where the
/// derived test class is known, can a PostgreSQL class be skipped when the server is missing: with the reason that says
/// how to install it, and never in CI (CI=true), where the missing server fails the tests instead.
/// </summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        ArgumentNullException.ThrowIfNull(testMethod);
        return PostgresServer.SkipReason is { } reason && testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgresAttribute)).Any()
            ? [new SkippedTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, factAttribute);
    }

    /// <summary>A test case skipped with a reason decided at discovery; the reason travels with it to the runner.</summary>
    public sealed class SkippedTestCase : XunitTestCase
    {
        private string _reason = "";

        [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
        public SkippedTestCase()
        {
        }

        public SkippedTestCase(
            IMessageSink diagnosticMessageSink, TestMethodDisplay methodDisplay, TestMethodDisplayOptions methodDisplayOptions, ITestMethod testMethod, string reason)
            : base(diagnosticMessageSink, methodDisplay, methodDisplayOptions, testMethod) => _reason = reason;

        public override void Serialize(IXunitSerializationInfo data)
        {
            ArgumentNullException.ThrowIfNull(data);
            base.Serialize(data);
            data.AddValue("SkipReasonDecided", _reason);
        }

        public override void Deserialize(IXunitSerializationInfo data)
        {
            ArgumentNullException.ThrowIfNull(data);
            _reason = data.GetValue<string>("SkipReasonDecided");
            base.Deserialize(data);
        }

        protected override string GetSkipReason(IAttributeInfo factAttribute) => _reason;
    }
}
