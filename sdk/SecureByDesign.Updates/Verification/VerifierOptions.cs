using System;

namespace SecureByDesign.Updates.Verification
{
    /// <summary>
    /// Every limit and policy switch of verification in one place (python-tuf's UpdaterConfig, plus the
    /// release policy of the SecureByDesign gate). The defaults are python-tuf's.
    /// </summary>
    public sealed class VerifierOptions
    {
        /// <summary>The most root versions read after the trusted one (spec §5.3: bounds the chain).</summary>
        public int MaxRootRotations { get; set; } = 256;

        /// <summary>The most delegated roles one target search visits (spec §5.6.7).</summary>
        public int MaxDelegations { get; set; } = 32;

        /// <summary>
        /// The most delegated roles a whole-repository verification loads (every role, not one search's):
        /// bounds the work and memory a deep or wide delegation tree can demand.
        /// </summary>
        public int MaxDelegatedRoles { get; set; } = 1024;

        /// <summary>The largest root.json accepted, in bytes.</summary>
        public long MaxRootBytes { get; set; } = 512_000;

        /// <summary>The largest timestamp.json accepted, in bytes.</summary>
        public long MaxTimestampBytes { get; set; } = 16_384;

        /// <summary>The largest snapshot.json accepted, in bytes, when timestamp.json does not list its length.</summary>
        public long MaxSnapshotBytes { get; set; } = 2_000_000;

        /// <summary>The largest targets metadata accepted, in bytes, when snapshot.json does not list its length.</summary>
        public long MaxTargetsBytes { get; set; } = 5_000_000;

        /// <summary>
        /// Release policy: a role that expires sooner than this after the reference time is a problem
        /// (<c>SecureByDesignMinimumValidityDays</c>). Zero, the default, checks plain expiry only.
        /// </summary>
        public TimeSpan MinimumValidity { get; set; } = TimeSpan.Zero;

        /// <summary>
        /// Release policy: the folder of the previous release (with <c>metadata/</c>); versions must not go
        /// below its versions (rollback). Null, the default, compares against nothing.
        /// </summary>
        public string? PreviousReleaseDirectory { get; set; }

        /// <summary>
        /// Release policy: what the product's parsers read; a verified target whose <c>custom.schema</c> names one
        /// of these schemas with another field count is a problem (SBDU026). Empty by default.
        /// </summary>
        public System.Collections.Generic.IReadOnlyList<Policy.ParserSchema> ParserSchemas { get; set; } = System.Array.Empty<Policy.ParserSchema>();

        /// <summary>
        /// Release policy: staged rollout rings, checked against <see cref="PreviousReleaseDirectory"/> (every target
        /// outside the first ring must have shipped there, in the ring before, long enough). Null, the default, is off.
        /// </summary>
        public Policy.RolloutPolicy? Rollout { get; set; }

        /// <summary>Release policy: files in the targets folder that no trusted role lists are problems (default on).</summary>
        public bool RejectUnlistedFiles { get; set; } = true;
    }
}
