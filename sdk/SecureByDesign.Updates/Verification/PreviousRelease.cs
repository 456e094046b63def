using System.Collections.Generic;
using System.Linq;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Trust;

namespace SecureByDesign.Updates.Verification
{
    /// <summary>
    /// Reads the versions of the previous release (<c>SecureByDesignReleasedMetadata</c>) as the rollback
    /// baseline. It is the build's own trusted input, what was shipped, so only its form is checked, not
    /// its signatures, which may be by keys rotated since.
    /// </summary>
    internal static class PreviousRelease
    {
        public static RollbackBaseline Read(string directory, VerifierOptions options)
        {
            var layout = new RepositoryLayout(directory);
            try
            {
                Root root = MetadataReader.ReadRoot(layout.ReadMetadata("metadata/root.json", options.MaxRootBytes, null), "metadata/root.json", options.MaxRootBytes).Signed;
                Timestamp timestamp = MetadataReader.ReadTimestamp(
                    layout.ReadMetadata("metadata/timestamp.json", options.MaxTimestampBytes, null), "metadata/timestamp.json", options.MaxTimestampBytes).Signed;
                string snapshotFile = RepositoryLayout.MetadataFile("snapshot", timestamp.SnapshotMeta.Version, root.ConsistentSnapshot);
                Snapshot snapshot = MetadataReader.ReadSnapshot(layout.ReadMetadata(snapshotFile, options.MaxSnapshotBytes, null), snapshotFile, options.MaxSnapshotBytes).Signed;
                return new RollbackBaseline(root, timestamp, snapshot, ReadRoles(layout, root, snapshot, options));
            }
            catch (UpdateException e)
            {
                throw UpdateException.Create(e.Code, "previous release " + e.Message);
            }
        }
    
        /// <summary>
        /// Every target the previous release lists, from targets.json and every role its snapshot lists
        /// (targets.json first, then by role name; the first listing of a path wins).
        /// </summary>
        public static IReadOnlyDictionary<string, TargetFile> ReadTargets(string directory, VerifierOptions options)
        {
            var layout = new RepositoryLayout(directory);
            try
            {
                Root root = MetadataReader.ReadRoot(layout.ReadMetadata("metadata/root.json", options.MaxRootBytes, null), "metadata/root.json", options.MaxRootBytes).Signed;
                Timestamp timestamp = MetadataReader.ReadTimestamp(
                    layout.ReadMetadata("metadata/timestamp.json", options.MaxTimestampBytes, null), "metadata/timestamp.json", options.MaxTimestampBytes).Signed;
                string snapshotFile = RepositoryLayout.MetadataFile("snapshot", timestamp.SnapshotMeta.Version, root.ConsistentSnapshot);
                Snapshot snapshot = MetadataReader.ReadSnapshot(layout.ReadMetadata(snapshotFile, options.MaxSnapshotBytes, null), snapshotFile, options.MaxSnapshotBytes).Signed;
                var targets = new Dictionary<string, TargetFile>(System.StringComparer.Ordinal);
                IReadOnlyDictionary<string, Targets> roles = ReadRoles(layout, root, snapshot, options);
                IEnumerable<Targets> ordered = roles
                    .OrderBy(m => m.Key == "targets" ? 0 : 1)
                    .ThenBy(m => m.Key, System.StringComparer.Ordinal)
                    .Select(m => m.Value);
                foreach (Targets listed in ordered)
                {
                    foreach (KeyValuePair<string, TargetFile> target in listed.Files)
                    {
                        if (!targets.ContainsKey(target.Key))
                        {
                            targets.Add(target.Key, target.Value);
                        }
                    }
                }

                return targets;
            }
            catch (UpdateException e)
            {
                throw UpdateException.Create(e.Code, "previous release " + e.Message);
            }
        }

        // Every targets role the snapshot lists, by role name.
        private static IReadOnlyDictionary<string, Targets> ReadRoles(RepositoryLayout layout, Root root, Snapshot snapshot, VerifierOptions options)
        {
            var roles = new Dictionary<string, Targets>(System.StringComparer.Ordinal);
            foreach (KeyValuePair<string, MetaFile> role in snapshot.Meta)
            {
                string name = role.Key.Substring(0, role.Key.Length - ".json".Length);
                string file = RepositoryLayout.MetadataFile(name, role.Value.Version, root.ConsistentSnapshot);
                roles[name] = MetadataReader.ReadTargets(layout.ReadMetadata(file, options.MaxTargetsBytes, null), file, options.MaxTargetsBytes).Signed;
            }

            return roles;
        }
    }
}
