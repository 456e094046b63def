// The types the agent reads content into: the same in EndpointAgent and HardenedAgent, which compile this file.

namespace EndpointAgent.Content
{
    public enum SignatureSeverity
    {
        Low,
        Medium,
        High,
        Critical,
    }

    /// <summary>One signature of the signature feed.</summary>
    public sealed record SignatureRecord(int Id, SignatureSeverity Severity, Guid KeyId, Version MinimumEngine, DateTime Published);

    /// <summary>What the feed's manifest says about the records that follow it.</summary>
    public sealed record SignatureManifest(int Count, string? Channel, bool Enabled);
}

namespace EndpointAgent.Updates
{
    public enum ChannelKind : byte
    {
        Signatures = 1,
        Behaviour = 2,
        Network = 3,
    }

    public enum ChannelPriority : byte
    {
        Low = 1,
        Normal = 2,
        Critical = 3,
    }

    public sealed record ChannelHeader(ChannelKind Kind, ChannelPriority Priority);

    public sealed class PackageManifest
    {
        public string Version { get; set; } = "";

        public List<string> Channels { get; set; } = [];
    }
}
