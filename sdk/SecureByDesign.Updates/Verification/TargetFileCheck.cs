using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using SecureByDesign.Updates.Errors;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Trust;

namespace SecureByDesign.Updates.Verification
{
    /// <summary>
    /// Checks one target file against its listing (spec §5.7.3): the length first, from the file system,
    /// so a file longer than listed is rejected without being read (endless data); then every listed hash,
    /// reading exactly the listed length once. A listing of length 0 never opens the file (a FIFO would block, a
    /// device stream); anything else that is not a regular file reads as length 0 and fails the length check unopened.
    /// </summary>
    internal static class TargetFileCheck
    {
        private const int BufferSize = 1 << 20;

        public static Problem? Check(string fullPath, string relative, TargetFile target)
        {
            var info = new FileInfo(fullPath);
            if (!info.Exists)
            {
                return new Problem(ProblemCodes.TargetMissing, $"{relative}: listed but not found");
            }

            if ((info.Attributes & FileAttributes.ReparsePoint) != 0)
            {
                return new Problem(ProblemCodes.InvalidTargetPath, $"{relative}: is a link, not a file");
            }

            if (info.Length != target.Length)
            {
                string read = info.Length > target.Length ? "; not read" : string.Empty;
                return new Problem(ProblemCodes.TargetLengthMismatch, $"{relative}: {info.Length} bytes, listed as {target.Length}{read}");
            }

            var algorithms = new List<(string Name, string Expected, HashAlgorithm Algorithm)>();
            try
            {
                foreach (KeyValuePair<string, string> hash in target.Hashes)
                {
                    HashAlgorithm? algorithm = MetaFileCheck.CreateHash(hash.Key);
                    if (algorithm is null)
                    {
                        return new Problem(ProblemCodes.TargetHashMismatch, $"{relative}: listed with unsupported hash algorithm '{hash.Key}'");
                    }

                    algorithms.Add((hash.Key, hash.Value, algorithm));
                }

                long total = HashFile(fullPath, target.Length, algorithms);
                if (total != target.Length)
                {
                    return new Problem(ProblemCodes.TargetLengthMismatch, $"{relative}: changed while read, {total} bytes, listed as {target.Length}");
                }

                foreach ((string name, string expected, HashAlgorithm algorithm) in algorithms)
                {
                    string actual = Hex.Encode(algorithm.Hash);
                    if (!Hex.FixedTimeEquals(actual, expected))
                    {
                        return new Problem(ProblemCodes.TargetHashMismatch, $"{relative}: {name} {actual}, listed as {expected}");
                    }
                }

                return null;
            }
            finally
            {
                foreach ((_, _, HashAlgorithm algorithm) in algorithms)
                {
                    algorithm.Dispose();
                }
            }
        }

        // Reads at most listed + 1 bytes, so a file that grew after the length check is caught without reading it all.
        private static long HashFile(string fullPath, long listed, List<(string Name, string Expected, HashAlgorithm Algorithm)> algorithms)
        {
            byte[] buffer = new byte[(int)System.Math.Min(BufferSize, System.Math.Max(listed + 1, 1))];
            long total = 0;
            if (listed == 0)
            {
                // An empty listing is hashed without opening anything: the file system said the file is empty, and a FIFO
                // or device (whose length reads as 0; netstandard2.0 cannot tell the file type) would block or stream.
                foreach ((_, _, HashAlgorithm algorithm) in algorithms)
                {
                    algorithm.TransformFinalBlock(buffer, 0, 0);
                }

                return 0;
            }

            using (var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
            {
                int read;
                while (total <= listed && (read = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    total += read;
                    foreach ((_, _, HashAlgorithm algorithm) in algorithms)
                    {
                        algorithm.TransformBlock(buffer, 0, read, null, 0);
                    }
                }
            }

            foreach ((_, _, HashAlgorithm algorithm) in algorithms)
            {
                algorithm.TransformFinalBlock(buffer, 0, 0);
            }

            return total;
        }
    }
}
