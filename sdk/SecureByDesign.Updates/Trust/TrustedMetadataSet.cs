using System;
using System.Collections.Generic;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Model;

namespace SecureByDesign.Updates.Trust
{
    /// <summary>
    /// The metadata trusted so far, and the rules for trusting more (python-tuf's TrustedMetadataSet). It
    /// takes bytes and does no I/O: each update checks order, signatures and thresholds, versions, rollback,
    /// expiry, and lengths and hashes against the parent role, and throws a <see cref="RepositoryException"/>
    /// leaving the set unchanged when any check fails. A delegated role is trusted only through the delegators
    /// it was verified against: reached through another, it must verify against that one too.
    /// </summary>
    public sealed class TrustedMetadataSet
    {
        private readonly DateTimeOffset _now;
        private readonly MetadataLimits _limits;
        private readonly Dictionary<string, Metadata<Targets>> _targets = new Dictionary<string, Metadata<Targets>>(StringComparer.Ordinal);
        private readonly Dictionary<string, HashSet<string>> _delegators = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        private RollbackBaseline? _baseline;
        private bool _rootFinal;

        /// <summary>Starts from the pinned trusted root, which must be signed by its own root threshold (spec §5.2).</summary>
        public TrustedMetadataSet(byte[] trustedRoot, string source, DateTimeOffset now, MetadataLimits limits, RollbackBaseline? baseline = null)
        {
            _now = now;
            _limits = limits;
            _baseline = baseline;
            Root = MetadataReader.ReadRoot(trustedRoot, source, limits.MaxRootBytes);
            Role role = Root.Signed.Roles["root"];
            SignatureThreshold.Require(Root, role, Root.Signed.Keys, "root", "trusted root");
        }

        /// <summary>The newest trusted root.</summary>
        public Metadata<Root> Root { get; private set; }

        /// <summary>The trusted timestamp, once updated.</summary>
        public Metadata<Timestamp>? Timestamp { get; private set; }

        /// <summary>The trusted snapshot, once updated.</summary>
        public Metadata<Snapshot>? Snapshot { get; private set; }

        /// <summary>The limits this set was created with.</summary>
        public MetadataLimits Limits => _limits;

        /// <summary>The trusted targets roles, by name (<c>targets</c> and delegated roles).</summary>
        public IReadOnlyDictionary<string, Metadata<Targets>> TargetsRoles => _targets;

        /// <summary>
        /// Trusts root version N+1 (spec §5.3.4-5.3.7): signed by a threshold of the trusted root's root keys
        /// and by a threshold of its own root keys, and exactly one version newer.
        /// </summary>
        public void UpdateRoot(byte[] bytes, string source)
        {
            if (_rootFinal)
            {
                throw new InvalidOperationException("The root is final once timestamp is updated.");
            }

            Metadata<Root> next = MetadataReader.ReadRoot(bytes, source, _limits.MaxRootBytes);
            SignatureThreshold.Require(next, Root.Signed.Roles["root"], Root.Signed.Keys, "root", $"version {Root.Signed.Version} root");
            long expected = Root.Signed.Version + 1;
            if (next.Signed.Version != expected)
            {
                throw new BadVersionException($"{source}: version {next.Signed.Version}, expected {expected}");
            }

            SignatureThreshold.Require(next, next.Signed.Roles["root"], next.Signed.Keys, "root", $"version {next.Signed.Version} root");
            Root = next;
        }

        /// <summary>
        /// Ends the root chain (spec §5.3.10-11): the final root must not have expired and must not be older
        /// than the baseline's; a rotation of timestamp or snapshot keys drops their baseline.
        /// </summary>
        public void FinishRootChain()
        {
            _rootFinal = true;
            if (_baseline is not null)
            {
                if (Root.Signed.Version < _baseline.Root.Version)
                {
                    throw new RollbackException($"{Root.Source}: newest root is version {Root.Signed.Version}, older than the trusted version {_baseline.Root.Version}");
                }

                _baseline = _baseline.ForRoot(Root.Signed);
            }

            CheckExpiry(Root);
        }

        /// <summary>
        /// Trusts timestamp.json (spec §5.4): signatures, no rollback of it or of the snapshot version against the
        /// timestamp trusted so far (this set's, else the baseline's), not expired. The same version must have the
        /// same content (<see cref="EqualVersionException"/> otherwise, the trusted one kept).
        /// </summary>
        public void UpdateTimestamp(byte[] bytes, string source)
        {
            RequireRootFinal();
            if (Snapshot is not null)
            {
                throw new InvalidOperationException("Cannot update timestamp after snapshot.");
            }

            Metadata<Timestamp> timestamp = MetadataReader.ReadTimestamp(bytes, source, _limits.MaxTimestampBytes);
            SignatureThreshold.Require(timestamp, Root.Signed.Roles["timestamp"], Root.Signed.Keys, "timestamp", "root-listed");
            if ((Timestamp?.Signed ?? _baseline?.Timestamp) is Timestamp trusted)
            {
                if (timestamp.Signed.Version < trusted.Version)
                {
                    throw new RollbackException($"{source}: version {timestamp.Signed.Version}, older than the trusted version {trusted.Version}");
                }

                // Spec §5.4.3.1: the same version again is no update; a client keeps the timestamp it trusts.
                RequireSameIfSameVersion(timestamp, trusted);
                if (timestamp.Signed.SnapshotMeta.Version < trusted.SnapshotMeta.Version)
                {
                    throw new RollbackException($"{source}: lists snapshot version {timestamp.Signed.SnapshotMeta.Version}, older than the trusted version {trusted.SnapshotMeta.Version}");
                }
            }

            CheckExpiry(timestamp);
            Timestamp = timestamp;
        }

        /// <summary>
        /// Trusts snapshot.json (spec §5.5): length and hashes as timestamp lists them, signatures, the version
        /// timestamp lists, no targets role removed or rolled back against the snapshot trusted so far, not expired.
        /// </summary>
        public void UpdateSnapshot(byte[] bytes, string source)
        {
            Metadata<Timestamp> timestamp = Timestamp ?? throw new InvalidOperationException("Update timestamp before snapshot.");
            if (_targets.Count > 0)
            {
                throw new InvalidOperationException("Cannot update snapshot after targets.");
            }

            MetaFile meta = timestamp.Signed.SnapshotMeta;
            MetaFileCheck.Check(bytes, meta, source);
            Metadata<Snapshot> snapshot = MetadataReader.ReadSnapshot(bytes, source, _limits.MaxSnapshotBytes);
            SignatureThreshold.Require(snapshot, Root.Signed.Roles["snapshot"], Root.Signed.Keys, "snapshot", "root-listed");
            if (snapshot.Signed.Version != meta.Version)
            {
                throw new BadVersionException($"{source}: version {snapshot.Signed.Version}, timestamp lists version {meta.Version}");
            }

            if ((Snapshot?.Signed ?? _baseline?.Snapshot) is Snapshot trusted)
            {
                RequireSameIfSameVersion(snapshot, trusted);
                foreach (KeyValuePair<string, MetaFile> old in trusted.Meta)
                {
                    if (!snapshot.Signed.Meta.TryGetValue(old.Key, out MetaFile? now))
                    {
                        throw new RollbackException($"{source}: no longer lists {old.Key}, which the trusted snapshot lists");
                    }

                    if (now.Version < old.Value.Version)
                    {
                        throw new RollbackException($"{source}: lists {old.Key} version {now.Version}, older than the trusted version {old.Value.Version}");
                    }
                }
            }

            CheckExpiry(snapshot);
            Snapshot = snapshot;
        }

        /// <summary>Trusts targets.json (spec §5.6), signed by root's targets keys.</summary>
        public void UpdateTargets(byte[] bytes, string source) => UpdateDelegatedTargets(bytes, source, "targets", "root");

        /// <summary>
        /// Trusts a targets role (spec §5.6): listed in snapshot with matching length and hashes, signed by a
        /// threshold of the keys its delegator gives it, the version snapshot lists, not expired.
        /// </summary>
        public void UpdateDelegatedTargets(byte[] bytes, string source, string roleName, string delegatorName)
        {
            Metadata<Snapshot> snapshot = Snapshot ?? throw new InvalidOperationException("Update snapshot before targets.");
            (Role role, IReadOnlyDictionary<string, Key> keys) = DelegationOf(roleName, delegatorName);
            MetaFile meta = ListingOf(snapshot, roleName);
            MetaFileCheck.Check(bytes, meta, source);
            Metadata<Targets> targets = MetadataReader.ReadTargets(bytes, source, _limits.MaxTargetsBytes);
            SignatureThreshold.Require(targets, role, keys, roleName, SignersOf(delegatorName));
            if (targets.Signed.Version != meta.Version)
            {
                throw new BadVersionException($"{source}: version {targets.Signed.Version}, snapshot lists version {meta.Version}");
            }

            if (_baseline is not null && _baseline.TargetsRoles.TryGetValue(roleName, out Targets? trustedTargets))
            {
                RequireSameIfSameVersion(targets, trustedTargets);
            }

            CheckExpiry(targets);
            _targets[roleName] = targets;
            _delegators[roleName] = new HashSet<string>(StringComparer.Ordinal) { delegatorName };
        }

        /// <summary>
        /// Requires the trusted role <paramref name="roleName"/> to verify against the delegation from
        /// <paramref name="delegatorName"/> too (spec §5.6.7: each path through the delegation graph is checked on
        /// its own): a role cached on one path must not inherit the authority of another.
        /// </summary>
        public void RequireDelegatedBy(string roleName, string delegatorName)
        {
            Metadata<Targets> targets = _targets.TryGetValue(roleName, out Metadata<Targets>? trusted)
                ? trusted
                : throw new InvalidOperationException($"Role '{roleName}' is not trusted.");
            HashSet<string> delegators = _delegators[roleName];
            if (delegators.Contains(delegatorName))
            {
                return;
            }

            (Role role, IReadOnlyDictionary<string, Key> keys) = DelegationOf(roleName, delegatorName);
            SignatureThreshold.Require(targets, role, keys, roleName, SignersOf(delegatorName));
            delegators.Add(delegatorName);
        }

        /// <summary>The listing of a targets role in snapshot.json (<c>ROLE.json</c>).</summary>
        public static MetaFile ListingOf(Metadata<Snapshot> snapshot, string roleName) =>
            snapshot.Signed.Meta.TryGetValue(roleName + ".json", out MetaFile? meta)
                ? meta
                : throw new RepositoryException(ProblemCodes.RoleNotInSnapshot, $"{snapshot.Source}: does not list {roleName}.json");

        private static string SignersOf(string delegatorName) => delegatorName == "root" ? "root-listed" : $"'{delegatorName}'-delegated";

        private (Role Role, IReadOnlyDictionary<string, Key> Keys) DelegationOf(string roleName, string delegatorName)
        {
            if (delegatorName == "root")
            {
                return (Root.Signed.Roles[roleName], Root.Signed.Keys);
            }

            if (!_targets.TryGetValue(delegatorName, out Metadata<Targets>? delegator) || delegator.Signed.Delegations is not Delegations delegations)
            {
                throw new InvalidOperationException($"Role '{delegatorName}' is not trusted or delegates nothing.");
            }

            return delegations.RoleNamed(roleName) is Role role
                ? (role, delegations.Keys)
                : throw new InvalidOperationException($"Role '{delegatorName}' does not delegate to '{roleName}'.");
        }

        private void RequireRootFinal()
        {
            if (!_rootFinal)
            {
                throw new InvalidOperationException("Finish the root chain before updating timestamp.");
            }
        }

        // An equal version is the same metadata: other content under a trusted version number is a changed role
        // passed off as the old one (what clients that skip equal versions would never see).
        private static void RequireSameIfSameVersion<T>(Metadata<T> metadata, T trusted)
            where T : SignedMetadata
        {
            if (metadata.Signed.Version == trusted.Version
                && !System.Linq.Enumerable.SequenceEqual(Json.CanonicalJson.Encode(metadata.Signed.ToJson()), Json.CanonicalJson.Encode(trusted.ToJson())))
            {
                throw new EqualVersionException($"{metadata.Source}: version {metadata.Signed.Version} with other content than the trusted version {trusted.Version}; changed metadata needs a higher version");
            }
        }

        private void CheckExpiry<T>(Metadata<T> metadata)
            where T : SignedMetadata
        {
            if (metadata.Signed.IsExpired(_now))
            {
                throw new ExpiredMetadataException($"{metadata.Source}: expired at {Format(metadata.Signed.Expires)}, it is now {Format(_now)}");
            }
        }

        internal static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
    }
}
