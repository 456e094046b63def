using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Verification;

namespace SecureByDesign.Updates.Signing
{
    /// <summary>
    /// Copies a target's content into <c>targets/</c> in one pass that also measures and hashes it: to a
    /// temporary file first, then renamed to its place (under consistent snapshots the name holds the hash).
    /// </summary>
    internal static class TargetCopy
    {
        public static TargetFile Copy(TargetSource source, RepositoryLayout layout, bool consistent)
        {
            Directory.CreateDirectory(layout.TargetsDirectory);
            string temporary = Path.Combine(layout.TargetsDirectory, ".sbd-" + System.Guid.NewGuid().ToString("N") + ".tmp");
            long length = 0;
            byte[] hash;
            try
            {
                using (SHA256 sha = SHA256.Create())
                using (Stream input = source.Open())
                using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                {
                    byte[] buffer = new byte[1 << 20];
                    int read;
                    while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        sha.TransformBlock(buffer, 0, read, null, 0);
                        output.Write(buffer, 0, read);
                        length += read;
                    }

                    sha.TransformFinalBlock(buffer, 0, 0);
                    hash = sha.Hash!;
                }

                var target = new TargetFile(source.Path, length, new Dictionary<string, string> { ["sha256"] = Hex.Encode(hash) }, source.Custom);
                string destination = layout.FullPath(RepositoryLayout.TargetFiles(target, consistent)[0]);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                if (File.Exists(destination))
                {
                    File.Delete(destination);
                }

                File.Move(temporary, destination);
                return target;
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }
    }
}
