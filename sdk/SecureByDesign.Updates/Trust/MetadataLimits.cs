namespace SecureByDesign.Updates.Trust
{
    /// <summary>
    /// The limits of the client workflow (python-tuf's UpdaterConfig): how many root versions and delegated
    /// roles to follow, and how large each metadata file may be. The trusted set, the updater and the
    /// repository verifier all take them from here; the release gate's policy lives in the verifier's own
    /// options, above this layer. The defaults are python-tuf's.
    /// </summary>
    public sealed class MetadataLimits
    {
        /// <summary>The most root versions read after the trusted one (spec §5.3.3: bounds the chain).</summary>
        public int MaxRootRotations { get; set; } = 256;

        /// <summary>The most delegated roles one target search visits (spec §5.6.7).</summary>
        public int MaxDelegations { get; set; } = 32;

        /// <summary>The largest root.json accepted, in bytes.</summary>
        public long MaxRootBytes { get; set; } = 512_000;

        /// <summary>The largest timestamp.json accepted, in bytes.</summary>
        public long MaxTimestampBytes { get; set; } = 16_384;

        /// <summary>The largest snapshot.json accepted, in bytes, when timestamp.json does not list its length.</summary>
        public long MaxSnapshotBytes { get; set; } = 2_000_000;

        /// <summary>The largest targets metadata accepted, in bytes, when snapshot.json does not list its length.</summary>
        public long MaxTargetsBytes { get; set; } = 5_000_000;
    }
}
