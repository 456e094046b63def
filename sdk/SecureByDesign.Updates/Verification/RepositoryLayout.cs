using System.Collections.Generic;
using System.IO;
using System.Text;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Model;

namespace SecureByDesign.Updates.Verification
{
    /// <summary>
    /// Where a local repository keeps each file (spec §5.3-5.7): <c>metadata/N.root.json</c> and
    /// <c>metadata/timestamp.json</c> always; <c>metadata/N.snapshot.json</c>, <c>N.ROLE.json</c> and
    /// <c>targets/DIR/HASH.NAME</c> under consistent snapshots, <c>snapshot.json</c>, <c>ROLE.json</c> and
    /// <c>targets/PATH</c> otherwise. Role names are percent-encoded as python-tuf encodes them in URLs.
    /// </summary>
    internal sealed class RepositoryLayout
    {
        public RepositoryLayout(string directory)
        {
            Directory = directory;
        }

        public string Directory { get; }

        public string TargetsDirectory => Path.Combine(Directory, "targets");

        public static string RootFile(long version) => "metadata/" + version + ".root.json";

        public static string MetadataFile(string roleName, long version, bool consistent) =>
            "metadata/" + (consistent ? version + "." : string.Empty) + EncodeRoleName(roleName) + ".json";

        /// <summary>The files that hold a target: one per listed hash under consistent snapshots.</summary>
        public static IReadOnlyList<string> TargetFiles(TargetFile target, bool consistent)
        {
            if (!consistent)
            {
                return new[] { "targets/" + target.Path };
            }

            int slash = target.Path.LastIndexOf('/');
            string directory = slash < 0 ? string.Empty : target.Path.Substring(0, slash + 1);
            string name = target.Path.Substring(slash + 1);
            var files = new List<string>();
            foreach (string hash in target.Hashes.Values)
            {
                files.Add("targets/" + directory + hash + "." + name);
            }

            return files;
        }

        /// <summary>Null when the target path names a file inside the targets folder; else why not.</summary>
        public static string? TargetPathProblem(string path)
        {
            if (path.Length == 0 || path.IndexOf('\\') >= 0 || path.IndexOf(':') >= 0 || path.IndexOf('\0') >= 0)
            {
                return "is empty or contains '\\', ':' or NUL";
            }

            foreach (string segment in path.Split('/'))
            {
                if (segment.Length == 0 || segment == "." || segment == "..")
                {
                    return "has an empty, '.' or '..' segment, or is absolute";
                }
            }

            return null;
        }

        public string FullPath(string relative) => Path.Combine(Directory, relative.Replace('/', Path.DirectorySeparatorChar));

        /// <summary>
        /// Reads a metadata file, refusing one longer than listed or than the limit before reading it.
        /// </summary>
        public byte[] ReadMetadata(string relative, long maxBytes, long? listedLength)
        {
            string full = FullPath(relative);
            if (!File.Exists(full))
            {
                throw new RepositoryException(ProblemCodes.MetadataMissing, $"{relative}: not found");
            }

            long length = new FileInfo(full).Length;
            if (listedLength is long listed && length > listed)
            {
                throw new LengthOrHashMismatchException(ProblemCodes.MetadataLengthMismatch, $"{relative}: {length} bytes, listed as {listed}; not read");
            }

            if (length > maxBytes)
            {
                throw new RepositoryException(ProblemCodes.MetadataTooLarge, $"{relative}: {length} bytes, over the limit of {maxBytes}");
            }

            return File.ReadAllBytes(full);
        }

        /// <summary>Percent-encodes all but unreserved characters, like Python's <c>urllib.parse.quote(name, "")</c>.</summary>
        public static string EncodeRoleName(string name)
        {
            var builder = new StringBuilder();
            foreach (byte b in Encoding.UTF8.GetBytes(name))
            {
                char c = (char)b;
                bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
                builder.Append(unreserved ? c.ToString() : "%" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }

            return builder.ToString();
        }
    }
}
