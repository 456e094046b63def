using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Updates.Signing
{
    /// <summary>
    /// Creates and edits a repository as a release pipeline does: <see cref="Init"/> a signed repository,
    /// <see cref="AddTargets"/> (the targets role gets a new unsigned version), <see cref="Sign"/> each role.
    /// Signing snapshot or timestamp re-issues it (new version, new expiry) when what it lists has changed;
    /// otherwise, and for root and targets roles, signing adds this key's signature to the current version, so
    /// several signers reach a threshold above 1 one <see cref="Sign"/> each. Root rotation and delegations are
    /// in the other parts of this class.
    /// </summary>
    public sealed partial class RepositoryEditor
    {
        private readonly RepositoryFiles _files;
        private readonly DateTimeOffset _now;

        /// <summary>Edits the repository in <paramref name="directory"/> at the time <paramref name="now"/>.</summary>
        public RepositoryEditor(string directory, DateTimeOffset now)
        {
            _files = new RepositoryFiles(directory);
            _now = now;
        }

        /// <summary>How long each role is valid when (re-)issued, in days.</summary>
        public static IReadOnlyDictionary<string, int> ValidityDays { get; } = new Dictionary<string, int>
        {
            ["root"] = 365,
            ["targets"] = 90,
            ["snapshot"] = 30,
            ["timestamp"] = 14,
        };

        /// <summary>Creates version 1 of every role, each signed by its key (one key per role, threshold 1).</summary>
        public void Init(IReadOnlyDictionary<string, KeySigner> signers, bool consistentSnapshot)
        {
            if (Directory.Exists(_files.MetadataDirectory) && Directory.EnumerateFileSystemEntries(_files.MetadataDirectory).Any())
            {
                throw new RepositoryException(ProblemCodes.InvalidMetadata, "metadata/: already has files; sbd init starts a new repository only");
            }

            var keys = new Dictionary<string, Key>(StringComparer.Ordinal);
            var roles = new Dictionary<string, Role>(StringComparer.Ordinal);
            foreach (string role in Root.TopLevelRoles)
            {
                Key key = signers[role].PublicKey;
                keys[key.Id] = key;
                roles[role] = new Role(new[] { key.Id }, 1);
            }

            var root = new Root(SpecVersion, 1, Expiry("root"), consistentSnapshot, keys, roles);
            byte[] rootBytes = _files.Write(RepositoryLayout.RootFile(1), root, new[] { signers["root"].Sign(root.ToJson()) });
            File.WriteAllBytes(_files.Layout.FullPath("metadata/root.json"), rootBytes);
            Directory.CreateDirectory(_files.Layout.TargetsDirectory);
            var targets = new Targets(SpecVersion, 1, Expiry("targets"), new Dictionary<string, TargetFile>(), null);
            _files.Write(RepositoryLayout.MetadataFile("targets", 1, consistentSnapshot), targets, new[] { signers["targets"].Sign(targets.ToJson()) });
            Sign("snapshot", signers["snapshot"]);
            Sign("timestamp", signers["timestamp"]);
        }

        /// <summary>Adds or replaces a target, copying its content into <c>targets/</c>; targets.json is left unsigned.</summary>
        public TargetFile AddTarget(string targetPath, byte[] content, JsonValue? custom = null) =>
            AddTargets(new[] { TargetSource.FromBytes(targetPath, content, custom) })[0];

        /// <summary>
        /// Adds or replaces targets in one new version of each targets role they go to (written once, however many
        /// targets), streaming each content into <c>targets/</c> while hashing it; the roles are left unsigned.
        /// <paramref name="role"/> is <c>targets</c>, a delegated role trusted for every path added, or the prefix
        /// of hash bins (each target then goes to its bin).
        /// </summary>
        public IReadOnlyList<TargetFile> AddTargets(IEnumerable<TargetSource> sources, string role = "targets")
        {
            bool consistent = _files.ReadRoot().Signed.ConsistentSnapshot;
            var graph = role == "targets" ? null : _files.ReadTargetsRoles(consistent);
            var byRole = new Dictionary<string, List<TargetFile>>(StringComparer.Ordinal);
            var added = new List<TargetFile>();
            foreach (TargetSource source in sources)
            {
                if (RepositoryLayout.TargetPathProblem(source.Path) is string why)
                {
                    throw new RepositoryException(ProblemCodes.InvalidTargetPath, $"target '{source.Path}' {why}");
                }

                string destination = graph is null ? role : DestinationOf(role, source.Path, graph);
                TargetFile target = TargetCopy.Copy(source, _files.Layout, consistent);
                if (!byRole.TryGetValue(destination, out List<TargetFile>? list))
                {
                    byRole.Add(destination, list = new List<TargetFile>());
                }

                list.Add(target);
                added.Add(target);
            }

            foreach (KeyValuePair<string, List<TargetFile>> group in byRole)
            {
                Rewrite(group.Key, consistent, current =>
                {
                    var files = current.Files.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
                    foreach (TargetFile target in group.Value)
                    {
                        files[target.Path] = target;
                    }

                    return (files, current.Delegations);
                });
            }

            return added;
        }

        /// <summary>
        /// Signs <paramref name="role"/> with <paramref name="signer"/>: a top-level role (snapshot and timestamp
        /// re-issued when stale; root by a key of the newest root or of the one before, for a rotation), a delegated
        /// role, or every bin of hash bins named by their prefix.
        /// </summary>
        public void Sign(string role, KeySigner signer)
        {
            Metadata<Root> root = _files.ReadRoot();
            bool consistent = root.Signed.ConsistentSnapshot;
            if (!Root.TopLevelRoles.Contains(role))
            {
                SignDelegated(role, signer, consistent);
                return;
            }

            bool previousRootKey = role == "root" && _files.ReadPreviousRoot(root.Signed.Version) is Metadata<Root> previous
                && previous.Signed.Roles["root"].KeyIds.Contains(signer.PublicKey.Id);
            if (!root.Signed.Roles[role].KeyIds.Contains(signer.PublicKey.Id) && !previousRootKey)
            {
                throw new UnsignedMetadataException($"{root.Source}: key {signer.PublicKey.Id} is not a key of role '{role}'");
            }

            switch (role)
            {
                case "root":
                    byte[] bytes = AddSignature(root, RepositoryLayout.RootFile(root.Signed.Version), signer);
                    File.WriteAllBytes(_files.Layout.FullPath("metadata/root.json"), bytes);
                    break;
                case "targets":
                    Metadata<Targets> targets = _files.ReadTargets("targets", consistent);
                    AddSignature(targets, targets.Source, signer);
                    break;
                case "snapshot":
                    SignSnapshot(consistent, signer);
                    break;
                default:
                    SignTimestamp(consistent, signer);
                    break;
            }
        }

        private const string SpecVersion = "1.0.31";

        private void SignSnapshot(bool consistent, KeySigner signer)
        {
            var meta = new Dictionary<string, MetaFile>(StringComparer.Ordinal);
            foreach ((string role, Metadata<Targets> targets, _) in _files.ReadTargetsRoles(consistent))
            {
                if (targets.Signatures.Count == 0)
                {
                    throw new MissingSignatureException($"{targets.Source}: not signed; sign {role} before snapshot");
                }

                meta.Add(role + ".json", Listing(targets.Signed.Version, _files.ReadBytes(targets.Source)));
            }

            string? current = _files.ExistingFile("snapshot", consistent);
            Metadata<Snapshot>? old = current is null ? null : _files.ReadSnapshot(consistent);
            if (old is not null && old.Signed.Meta.Count == meta.Count
                && meta.All(m => old.Signed.Meta.TryGetValue(m.Key, out MetaFile? listed) && Same(listed, m.Value)))
            {
                AddSignature(old, current!, signer);
                return;
            }

            long version = (old?.Signed.Version ?? 0) + 1;
            var snapshot = new Snapshot(SpecVersion, version, Expiry("snapshot"), meta);
            _files.Write(RepositoryLayout.MetadataFile("snapshot", version, consistent), snapshot, new[] { signer.Sign(snapshot.ToJson()) });
        }

        private void SignTimestamp(bool consistent, KeySigner signer)
        {
            Metadata<Snapshot> snapshot = _files.ReadSnapshot(consistent);
            MetaFile listing = Listing(snapshot.Signed.Version, _files.ReadBytes(snapshot.Source));
            Metadata<Timestamp>? old = _files.ExistingFile("timestamp", consistent: false) is null ? null : _files.ReadTimestamp();
            if (old is not null && Same(old.Signed.SnapshotMeta, listing))
            {
                AddSignature(old, "metadata/timestamp.json", signer);
                return;
            }

            var timestamp = new Timestamp(SpecVersion, (old?.Signed.Version ?? 0) + 1, Expiry("timestamp"), listing);
            _files.Write("metadata/timestamp.json", timestamp, new[] { signer.Sign(timestamp.ToJson()) });
        }

        private byte[] AddSignature<T>(Metadata<T> metadata, string relative, KeySigner signer)
            where T : SignedMetadata
        {
            var signatures = metadata.Signatures.Where(s => s.KeyId != signer.PublicKey.Id).ToList();
            signatures.Add(signer.Sign(metadata.SignedBytes));
            return _files.Write(relative, metadata.Signed, signatures);
        }

        private static MetaFile Listing(long version, byte[] bytes)
        {
            using SHA256 sha = SHA256.Create();
            return new MetaFile(version, bytes.LongLength, new Dictionary<string, string> { ["sha256"] = Hex.Encode(sha.ComputeHash(bytes)) });
        }

        private static bool Same(MetaFile a, MetaFile b) =>
            a.Version == b.Version && a.Length == b.Length && a.Hashes is not null && b.Hashes is not null
            && a.Hashes.TryGetValue("sha256", out string? hash) && b.Hashes["sha256"] == hash;

        // A targets role's next version: the current one while nobody has signed it, else one higher; left unsigned.
        private void Rewrite(string role, bool consistent, Func<Targets, (IReadOnlyDictionary<string, TargetFile> Files, Delegations? Delegations)> change)
        {
            Metadata<Targets> current = _files.ReadTargets(role, consistent);
            long version = current.Signed.Version + (current.Signatures.Count > 0 ? 1 : 0);
            (IReadOnlyDictionary<string, TargetFile> files, Delegations? delegations) = change(current.Signed);
            var targets = new Targets(SpecVersion, version, Expiry(role), files, delegations, current.Signed.Unrecognized);
            _files.Write(RepositoryLayout.MetadataFile(role, version, consistent), targets, Array.Empty<Signature>());
        }

        private DateTimeOffset Expiry(string role)
        {
            // Whole seconds, UTC: the only form `expires` has. Delegated roles are valid as long as targets.
            DateTime at = _now.UtcDateTime.AddDays(ValidityDays.TryGetValue(role, out int days) ? days : ValidityDays["targets"]);
            return new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, at.Minute, at.Second, TimeSpan.Zero);
        }
    }
}
