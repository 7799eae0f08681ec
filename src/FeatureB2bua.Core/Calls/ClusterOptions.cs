using System.ComponentModel.DataAnnotations;

namespace FeatureB2bua.Core.Calls;

/// <summary>The <c>Cluster</c> configuration section: who this node is among the nodes sharing one store.</summary>
public sealed class ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>This node's name in the shared store's journal and heartbeats; two nodes sharing a store must differ.</summary>
    [Required(AllowEmptyStrings = false)]
    public string NodeId { get; set; } = Environment.MachineName;

    /// <summary>How often this node records in the store that it is alive.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A node silent for this long is taken for dead, and its calls are closed by another node.</summary>
    public TimeSpan DeadAfter { get; set; } = TimeSpan.FromSeconds(20);
}
