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
    /// <see cref="AddTarget"/> (the targets role gets a new unsigned version), <see cref="Sign"/> each role.
    /// Signing snapshot or timestamp re-issues it (new version, new expiry) when what it lists has changed;
    /// otherwise, and for root and targets, signing adds this key's signature to the current version.
    /// </summary>
    public sealed class RepositoryEditor
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
        /// Adds or replaces targets in one new version of targets.json (written once, however many targets),
        /// streaming each content into <c>targets/</c> while hashing it; targets.json is left unsigned.
        /// </summary>
        public IReadOnlyList<TargetFile> AddTargets(IEnumerable<TargetSource> sources)
        {
            bool consistent = _files.ReadRoot().Signed.ConsistentSnapshot;
            Metadata<Targets> current = _files.ReadTargets(consistent);
            var files = new Dictionary<string, TargetFile>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, TargetFile> file in current.Signed.Files)
            {
                files.Add(file.Key, file.Value);
            }

            var added = new List<TargetFile>();
            foreach (TargetSource source in sources)
            {
                if (RepositoryLayout.TargetPathProblem(source.Path) is string why)
                {
                    throw new RepositoryException(ProblemCodes.InvalidTargetPath, $"target '{source.Path}' {why}");
                }

                TargetFile target = TargetCopy.Copy(source, _files.Layout, consistent);
                files[source.Path] = target;
                added.Add(target);
            }

            bool newVersion = current.Signatures.Count > 0;
            long version = current.Signed.Version + (newVersion ? 1 : 0);
            var targets = new Targets(SpecVersion, version, Expiry("targets"), files, current.Signed.Delegations, current.Signed.Unrecognized);
            _files.Write(RepositoryLayout.MetadataFile("targets", version, consistent), targets, Array.Empty<Signature>());
            return added;
        }

        /// <summary>Signs a top-level role with <paramref name="signer"/>, re-issuing snapshot or timestamp when stale.</summary>
        public void Sign(string role, KeySigner signer)
        {
            Metadata<Root> root = _files.ReadRoot();
            bool consistent = root.Signed.ConsistentSnapshot;
            if (!root.Signed.Roles.TryGetValue(role, out Role? trusted) || !trusted.KeyIds.Contains(signer.PublicKey.Id))
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
                    AddSignature(_files.ReadTargets(consistent), _files.CurrentFile("targets", consistent), signer);
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
            Metadata<Targets> targets = _files.ReadTargets(consistent);
            if (targets.Signatures.Count == 0)
            {
                throw new UnsignedMetadataException($"{targets.Source}: not signed; sign targets before snapshot");
            }

            MetaFile listing = Listing(targets.Signed.Version, _files.ReadBytes(targets.Source));
            string? current = _files.ExistingFile("snapshot", consistent);
            Metadata<Snapshot>? old = current is null ? null : _files.ReadSnapshot(consistent);
            if (old is not null && old.Signed.Meta.TryGetValue("targets.json", out MetaFile? listed) && Same(listed, listing))
            {
                AddSignature(old, current!, signer);
                return;
            }

            long version = (old?.Signed.Version ?? 0) + 1;
            var snapshot = new Snapshot(SpecVersion, version, Expiry("snapshot"), new Dictionary<string, MetaFile> { ["targets.json"] = listing });
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

        private DateTimeOffset Expiry(string role)
        {
            // Whole seconds, UTC: the only form `expires` has.
            DateTime at = _now.UtcDateTime.AddDays(ValidityDays[role]);
            return new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, at.Minute, at.Second, TimeSpan.Zero);
        }
    }
}
