using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Json;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Updates.Signing
{
    /// <summary>Finds, reads and writes the current metadata of a repository that is being edited.</summary>
    internal sealed class RepositoryFiles
    {
        private const long MaxBytes = 50_000_000;

        public RepositoryFiles(string directory)
        {
            Layout = new RepositoryLayout(directory);
        }

        public RepositoryLayout Layout { get; }

        public string MetadataDirectory => Path.Combine(Layout.Directory, "metadata");

        /// <summary>The newest <c>N.root.json</c>.</summary>
        public Metadata<Root> ReadRoot()
        {
            long version = HighestVersion("root") ?? throw new RepositoryException(ProblemCodes.MetadataMissing, "metadata/1.root.json: not found; run sbd init first");
            string file = RepositoryLayout.RootFile(version);
            return MetadataReader.ReadRoot(Layout.ReadMetadata(file, MaxBytes, null), file, MaxBytes);
        }

        /// <summary>The root before the newest, or null when the newest is version 1.</summary>
        public Metadata<Root>? ReadPreviousRoot(long newest)
        {
            if (newest <= 1)
            {
                return null;
            }

            string file = RepositoryLayout.RootFile(newest - 1);
            return MetadataReader.ReadRoot(Layout.ReadMetadata(file, MaxBytes, null), file, MaxBytes);
        }

        public Metadata<Targets> ReadTargets(string role, bool consistent)
        {
            string file = CurrentFile(role, consistent);
            return MetadataReader.ReadTargets(Layout.ReadMetadata(file, MaxBytes, null), file, MaxBytes);
        }

        /// <summary>
        /// Every targets role of the repository with its current metadata and the delegation that names it (null for
        /// <c>targets</c>), pre-order from <c>targets</c>, each role once.
        /// </summary>
        public IReadOnlyList<(string Role, Metadata<Targets> Metadata, Role? Delegation)> ReadTargetsRoles(bool consistent)
        {
            var roles = new List<(string, Metadata<Targets>, Role?)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<(string Role, Role? Delegation)>();
            pending.Push(("targets", null));
            while (pending.Count > 0)
            {
                (string role, Role? delegation) = pending.Pop();
                if (!seen.Add(role))
                {
                    continue;
                }

                Metadata<Targets> metadata = ReadTargets(role, consistent);
                roles.Add((role, metadata, delegation));
                if (metadata.Signed.Delegations is Delegations delegations)
                {
                    foreach (string child in delegations.RoleNames().Reverse())
                    {
                        pending.Push((child, delegations.RoleNamed(child)));
                    }
                }
            }

            return roles;
        }

        public Metadata<Snapshot> ReadSnapshot(bool consistent)
        {
            string file = CurrentFile("snapshot", consistent);
            return MetadataReader.ReadSnapshot(Layout.ReadMetadata(file, MaxBytes, null), file, MaxBytes);
        }

        public Metadata<Timestamp> ReadTimestamp() =>
            MetadataReader.ReadTimestamp(Layout.ReadMetadata("metadata/timestamp.json", MaxBytes, null), "metadata/timestamp.json", MaxBytes);

        public byte[] ReadBytes(string relative) => Layout.ReadMetadata(relative, MaxBytes, null);

        /// <summary>The file holding the current version of a role: the highest <c>N.ROLE.json</c>, or <c>ROLE.json</c>.</summary>
        public string CurrentFile(string role, bool consistent)
        {
            if (!consistent)
            {
                return RepositoryLayout.MetadataFile(role, 0, consistent: false);
            }

            long version = HighestVersion(role) ?? throw new RepositoryException(ProblemCodes.MetadataMissing, $"metadata/N.{role}.json: none found");
            return RepositoryLayout.MetadataFile(role, version, consistent: true);
        }

        /// <summary>The file holding the current version of a role, or null when the role has none yet.</summary>
        public string? ExistingFile(string role, bool consistent)
        {
            if (consistent)
            {
                return HighestVersion(role) is long version ? RepositoryLayout.MetadataFile(role, version, consistent: true) : null;
            }

            string plain = RepositoryLayout.MetadataFile(role, 0, consistent: false);
            return File.Exists(Layout.FullPath(plain)) ? plain : null;
        }

        /// <summary>Writes a metadata file (indented JSON, as python-tuf writes it) and returns its bytes.</summary>
        public byte[] Write(string relative, SignedMetadata signed, IEnumerable<Signature> signatures)
        {
            JsonObject file = new JsonObject()
                .Set("signed", signed.ToJson())
                .Set("signatures", new JsonArray(signatures.Select(s => (JsonValue)s.ToJson())));
            byte[] bytes = JsonText.Serialize(file, indented: true);
            string full = Layout.FullPath(relative);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, bytes);
            return bytes;
        }

        private long? HighestVersion(string role)
        {
            if (!Directory.Exists(MetadataDirectory))
            {
                return null;
            }

            string suffix = "." + RepositoryLayout.EncodeRoleName(role) + ".json";
            long? highest = null;
            foreach (string file in Directory.EnumerateFiles(MetadataDirectory, "*" + suffix))
            {
                string name = Path.GetFileName(file);
                string prefix = name.Substring(0, name.Length - suffix.Length);
                if (long.TryParse(prefix, NumberStyles.None, CultureInfo.InvariantCulture, out long version) && (highest is null || version > highest))
                {
                    highest = version;
                }
            }

            return highest;
        }
    }
}
