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
                return new RollbackBaseline(root, timestamp, snapshot);
            }
            catch (UpdateException e)
            {
                throw new UpdateException(e.Code, "previous release " + e.Message);
            }
        }
    }
}
