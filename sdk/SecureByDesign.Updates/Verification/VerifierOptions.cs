using System;
using SecureByDesign.Updates.Trust;

namespace SecureByDesign.Updates.Verification
{
    /// <summary>
    /// The options of a whole-repository verification: the client workflow's <see cref="Limits"/> (also
    /// settable here, one property each) and the release policy of the SecureByDesign gate.
    /// </summary>
    public sealed class VerifierOptions
    {
        /// <summary>The client workflow's limits (root rotations, search visits, file sizes), as the trusted set takes them.</summary>
        public MetadataLimits Limits { get; } = new MetadataLimits();

        /// <inheritdoc cref="MetadataLimits.MaxRootRotations"/>
        public int MaxRootRotations { get => Limits.MaxRootRotations; set => Limits.MaxRootRotations = value; }

        /// <inheritdoc cref="MetadataLimits.MaxDelegations"/>
        public int MaxDelegations { get => Limits.MaxDelegations; set => Limits.MaxDelegations = value; }

        /// <summary>
        /// The most delegated roles a whole-repository verification loads (every role, not one search's):
        /// bounds the work and memory a deep or wide delegation tree can demand.
        /// </summary>
        public int MaxDelegatedRoles { get; set; } = 1024;

        /// <inheritdoc cref="MetadataLimits.MaxRootBytes"/>
        public long MaxRootBytes { get => Limits.MaxRootBytes; set => Limits.MaxRootBytes = value; }

        /// <inheritdoc cref="MetadataLimits.MaxTimestampBytes"/>
        public long MaxTimestampBytes { get => Limits.MaxTimestampBytes; set => Limits.MaxTimestampBytes = value; }

        /// <inheritdoc cref="MetadataLimits.MaxSnapshotBytes"/>
        public long MaxSnapshotBytes { get => Limits.MaxSnapshotBytes; set => Limits.MaxSnapshotBytes = value; }

        /// <inheritdoc cref="MetadataLimits.MaxTargetsBytes"/>
        public long MaxTargetsBytes { get => Limits.MaxTargetsBytes; set => Limits.MaxTargetsBytes = value; }

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
