using System.Collections.Generic;
using System.IO;
using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Model;
using SecureByDesign.Updates.Signing;

namespace SecureByDesign.Tool.Commands
{
    /// <summary>Reading key files for the commands that sign.</summary>
    internal static class Keys
    {
        public static KeySigner Read(string path) => KeyFile.Read(File.ReadAllBytes(path), Path.GetFileName(path));

        public static Key ReadPublic(string path) => KeyFile.ReadPublicKey(File.ReadAllBytes(path), Path.GetFileName(path));

        /// <summary>A key named on the command line: a key file's path, or else a key id (64 hex digits).</summary>
        public static string IdOf(string fileOrId) => File.Exists(fileOrId) ? ReadPublic(fileOrId).Id : fileOrId;

        public static void DisposeAll(IEnumerable<KeySigner> signers)
        {
            foreach (KeySigner signer in signers)
            {
                signer.Dispose();
            }
        }
    }
}
