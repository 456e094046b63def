using System.Collections.Generic;
using System.IO;
using SecureByDesign.Updates.Crypto;
using SecureByDesign.Updates.Signing;

namespace SecureByDesign.Tool.Commands
{
    /// <summary>Reading key files for the commands that sign.</summary>
    internal static class Keys
    {
        public static KeySigner Read(string path) => KeyFile.Read(File.ReadAllBytes(path), Path.GetFileName(path));

        public static void DisposeAll(IEnumerable<KeySigner> signers)
        {
            foreach (KeySigner signer in signers)
            {
                signer.Dispose();
            }
        }
    }
}
