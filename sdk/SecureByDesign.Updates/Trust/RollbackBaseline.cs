using System;
using System.Collections.Generic;
using System.Linq;
using SecureByDesign.Updates.Model;

namespace SecureByDesign.Updates.Trust
{
    /// <summary>
    /// The versions a client already trusts, below which nothing may go (spec §5.4.3-4, §5.5.5: rollback).
    /// A client takes them from its cached metadata; the release gate takes them from the previous release.
    /// </summary>
    public sealed class RollbackBaseline
    {
        /// <summary>Creates a baseline.</summary>
        public RollbackBaseline(Root root, Timestamp? timestamp, Snapshot? snapshot, IReadOnlyDictionary<string, Targets>? targetsRoles = null)
        {
            Root = root;
            Timestamp = timestamp;
            Snapshot = snapshot;
            TargetsRoles = targetsRoles ?? new Dictionary<string, Targets>(StringComparer.Ordinal);
        }

        /// <summary>The root that was trusted when the baseline was recorded.</summary>
        public Root Root { get; }

        /// <summary>The trusted timestamp, if any.</summary>
        public Timestamp? Timestamp { get; }

        /// <summary>The trusted snapshot, if any.</summary>
        public Snapshot? Snapshot { get; }

        /// <summary>The trusted targets roles by name, when known: a role at the same version must be the same.</summary>
        public IReadOnlyDictionary<string, Targets> TargetsRoles { get; }

        /// <summary>
        /// The baseline that still applies under <paramref name="newRoot"/>: when the timestamp or snapshot
        /// keys changed, the old timestamp and snapshot versions are dropped (spec §5.3.11), which is how a
        /// repository recovers from a fast-forward attack.
        /// </summary>
        public RollbackBaseline ForRoot(Root newRoot)
        {
            bool rotated = KeysChanged(newRoot, "timestamp") || KeysChanged(newRoot, "snapshot");
            return rotated ? new RollbackBaseline(Root, null, null, TargetsRoles) : this;
        }

        private bool KeysChanged(Root newRoot, string role) =>
            !new HashSet<string>(Root.Roles[role].KeyIds, StringComparer.Ordinal).SetEquals(newRoot.Roles[role].KeyIds)
            || Root.Roles[role].Threshold != newRoot.Roles[role].Threshold
            || newRoot.Roles[role].KeyIds.Any(id => !Root.Keys.ContainsKey(id));
    }
}
