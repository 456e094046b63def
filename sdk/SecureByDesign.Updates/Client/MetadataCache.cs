using System.IO;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Updates.Client
{
    /// <summary>
    /// The client's folder of trusted metadata, by plain role names (<c>root.json</c>, <c>timestamp.json</c>,
    /// <c>ROLE.json</c>). Only metadata the trusted set accepted is written, each file replaced atomically.
    /// </summary>
    internal sealed class MetadataCache
    {
        private readonly string _directory;

        public MetadataCache(string directory)
        {
            _directory = directory;
        }

        public static string FileName(string role) => RepositoryLayout.EncodeRoleName(role) + ".json";

        public byte[]? TryRead(string role, long maxBytes)
        {
            string path = Path.Combine(_directory, FileName(role));
            if (!File.Exists(path) || new FileInfo(path).Length > maxBytes)
            {
                return null;
            }

            return File.ReadAllBytes(path);
        }

        public byte[] ReadRoot(long maxBytes) =>
            TryRead("root", maxBytes) ?? throw new RepositoryException(ProblemCodes.MetadataMissing, $"{FileName("root")}: no trusted root in the metadata folder; initialise it first");

        public void Write(string role, byte[] bytes)
        {
            Directory.CreateDirectory(_directory);
            string path = Path.Combine(_directory, FileName(role));
            string temporary = path + ".tmp";
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(flushToDisk: true); // on disk before it replaces the trusted file
            }

            // One step (rename on Unix, ReplaceFile on Windows): a crash leaves the old file or the new, never neither.
            if (File.Exists(path))
            {
                File.Replace(temporary, path, null);
            }
            else
            {
                File.Move(temporary, path);
            }
        }

        public void Delete(string role)
        {
            string path = Path.Combine(_directory, FileName(role));
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }
}
