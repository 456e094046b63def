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
        public RollbackBaseline ForRoot(Root newRoot) =>
            OnlineKeysChanged(Root, newRoot) ? new RollbackBaseline(Root, null, null, TargetsRoles) : this;

        /// <summary>
        /// A client's baseline from its cached metadata: a cached timestamp or snapshot counts only when the
        /// trusted root's keys for its role signed it (python-tuf loads cached metadata through the trusted set).
        /// A file cached under keys rotated since, for example by a run that saved a new root and then failed,
        /// would otherwise hold back a repository recovering from a fast-forward attack.
        /// </summary>
        public static RollbackBaseline FromCache(Metadata<Root> root, Metadata<Timestamp>? timestamp, Metadata<Snapshot>? snapshot) => new RollbackBaseline(
            root.Signed,
            timestamp is not null && SignedBy(timestamp, root.Signed, "timestamp") ? timestamp.Signed : null,
            snapshot is not null && SignedBy(snapshot, root.Signed, "snapshot") ? snapshot.Signed : null);

        /// <summary>Whether the timestamp or snapshot keys or thresholds differ between two roots (spec §5.3.11).</summary>
        public static bool OnlineKeysChanged(Root oldRoot, Root newRoot) => KeysChanged(oldRoot, newRoot, "timestamp") || KeysChanged(oldRoot, newRoot, "snapshot");

        private static bool SignedBy<T>(Metadata<T> metadata, Root root, string role)
            where T : SignedMetadata =>
            SignatureThreshold.CountValid(metadata, root.Roles[role], root.Keys) >= root.Roles[role].Threshold;

        private static bool KeysChanged(Root oldRoot, Root newRoot, string role) =>
            !new HashSet<string>(oldRoot.Roles[role].KeyIds, StringComparer.Ordinal).SetEquals(newRoot.Roles[role].KeyIds)
            || oldRoot.Roles[role].Threshold != newRoot.Roles[role].Threshold
            || newRoot.Roles[role].KeyIds.Any(id => !oldRoot.Keys.ContainsKey(id));
    }
}
